using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

internal sealed record ImportProgress(long BytesRead, long BytesTotal, int Imported, int Skipped);

/// <summary>What an import did: chats written and skipped, why, and how many files the conversations name that the export lacks.</summary>
internal sealed record ImportSummary(int Imported, int Skipped, IReadOnlyList<string> Problems, bool Stopped, int MissingFiles = 0);

/// <summary>
/// Imports an Open WebUI export, a ChatGPT export or a Claude.ai export (<c>conversations.json</c>, or the export
/// <c>.zip</c> holding it and the files it names) for one user, reading one entry at a time so memory stays
/// bounded whatever the file size. Entries are written in small batches, each in one transaction, so an entry is
/// never half-written; a chat's files are stored after its batch, as artifact files of their messages.
/// </summary>
internal sealed class ChatImporter(ChatStore chats, TagStore tags, ImportAttachments attachments)
{
    private const int BatchSize = 50;

    public async Task<ImportSummary> ImportFileAsync(string path, string userId, bool stopOnError, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = ZipFile.OpenRead(path);
            return await ImportZipAsync(zip, userId, stopOnError, progress, cancellationToken)
                   ?? throw new FileNotFoundException("The archive holds no conversations.json.", path);
        }
        await using var file = File.OpenRead(path);
        return await ImportAsync(file, file.Length, userId, stopOnError, progress, cancellationToken);
    }

    /// <summary>An export <c>.zip</c>: its <c>conversations.json</c> with the files it names; null when it has none.</summary>
    public async Task<ImportSummary?> ImportZipAsync(ZipArchive zip, string userId, bool stopOnError, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (zip.Entries.FirstOrDefault(e => e.Name == "conversations.json") is not { } entry)
        {
            return null;
        }
        await using var zipped = entry.Open();
        return await ImportAsync(zipped, entry.Length, userId, stopOnError, progress, cancellationToken, new ExportArchive(zip));
    }

    public async Task<ImportSummary> ImportAsync(Stream source, long length, string userId, bool stopOnError,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken, ExportArchive? archive = null)
    {
        var counting = new CountingStream(source);
        var problems = new List<string>();
        var batch = new List<Pending>();
        int imported = 0, skipped = 0, position = 0, missing = 0;
        var stopped = false;
        async Task<int> Flush()
        {
            if (batch.Count == 0)
            {
                return 0;
            }
            var rows = await chats.InsertAsync(batch.Select(p => (p.Row, p.Split)).ToList(), cancellationToken);
            await tags.EnsureAllAsync(userId, rows.Select(r => r.Meta), cancellationToken);
            foreach (var pending in batch.Where(p => p.Files.Count > 0))
            {
                problems.AddRange(await attachments.StoreAsync(pending.Row, pending.Files, archive, () => missing++, cancellationToken));
            }
            var count = batch.Count;
            batch.Clear();
            return count;
        }
        try
        {
            await foreach (var entry in JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(counting, cancellationToken: cancellationToken))
            {
                position++;
                try
                {
                    batch.Add(Row(userId, Convert(entry, chats.Now)));
                }
                catch (FormatException e)
                {
                    problems.Add($"entry {position}: {e.Message}");
                    skipped++;
                    if (stopOnError)
                    {
                        stopped = true;
                        break;
                    }
                }
                if (batch.Count >= BatchSize)
                {
                    imported += await Flush();
                    progress?.Report(new ImportProgress(counting.BytesRead, length, imported, skipped));
                }
            }
        }
        catch (JsonException e)
        {
            problems.Add($"entry {position + 1}: the file is not valid JSON here ({e.Message}); nothing after it was read");
            stopped = true;
        }
        imported += await Flush();
        progress?.Report(new ImportProgress(counting.BytesRead, length, imported, skipped));
        return new ImportSummary(imported, skipped, problems, stopped, missing);
    }

    private sealed record Pending(ChatRow Row, SplitChat Split, IReadOnlyList<ImportedFile> Files);

    private static ImportedChat Convert(JsonNode? entry, long now) => entry switch
    {
        JsonObject obj when ChatGptConversion.Looks(obj) => ChatGptConversion.Convert(obj, now),
        JsonObject obj when ClaudeConversion.Looks(obj) => ClaudeConversion.Convert(obj, now),
        JsonObject obj => OpenWebUiEntry.Convert(obj),
        _ => throw new FormatException("not a JSON object"),
    };

    private Pending Row(string userId, ImportedChat chat)
    {
        var split = MessageTree.Split(chat.Chat);
        var now = chats.Now;
        var row = ChatStore.NewRow(userId, split, null, chat.Meta.ToJsonString(MessageTree.Compact), chat.Pinned,
            chat.CreatedAt is > 0 ? chat.CreatedAt.Value : now, chat.UpdatedAt is > 0 ? chat.UpdatedAt.Value : now);
        row.Archived = chat.Archived;
        return new Pending(row, split, chat.Files);
    }

    /// <summary>Counts bytes as they are read, for progress on streams (a zip entry) that cannot tell their position.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }
    }
}
