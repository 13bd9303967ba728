using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

internal sealed record ImportProgress(long BytesRead, long BytesTotal, int Imported, int Skipped);

internal sealed record ImportSummary(int Imported, int Skipped, IReadOnlyList<string> Problems, bool Stopped);

/// <summary>
/// Imports an Open WebUI export or a ChatGPT export (<c>conversations.json</c>, or the export <c>.zip</c>
/// holding it) for one user, reading one entry at a time so memory stays bounded whatever the file size.
/// Entries are written in small batches, each in one transaction, so an entry is never half-written.
/// </summary>
internal sealed class ChatImporter(ChatStore chats)
{
    private const int BatchSize = 50;

    public async Task<ImportSummary> ImportFileAsync(string path, string userId, bool stopOnError, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.Entries.FirstOrDefault(e => e.Name == "conversations.json")
                        ?? throw new FileNotFoundException("The archive holds no conversations.json.", path);
            await using var zipped = entry.Open();
            return await ImportAsync(zipped, entry.Length, userId, stopOnError, progress, cancellationToken);
        }
        await using var file = File.OpenRead(path);
        return await ImportAsync(file, file.Length, userId, stopOnError, progress, cancellationToken);
    }

    public async Task<ImportSummary> ImportAsync(Stream source, long length, string userId, bool stopOnError,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var counting = new CountingStream(source);
        var problems = new List<string>();
        var batch = new List<(ChatRow, SplitChat)>();
        int imported = 0, skipped = 0, position = 0;
        var stopped = false;
        try
        {
            await foreach (var entry in JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(counting, cancellationToken: cancellationToken))
            {
                position++;
                try
                {
                    batch.Add(Row(userId, Convert(entry)));
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
                    imported += await Flush(batch, cancellationToken);
                    progress?.Report(new ImportProgress(counting.BytesRead, length, imported, skipped));
                }
            }
        }
        catch (JsonException e)
        {
            problems.Add($"entry {position + 1}: the file is not valid JSON here ({e.Message}); nothing after it was read");
            stopped = true;
        }
        imported += await Flush(batch, cancellationToken);
        progress?.Report(new ImportProgress(counting.BytesRead, length, imported, skipped));
        return new ImportSummary(imported, skipped, problems, stopped);
    }

    private static ImportedChat Convert(JsonNode? entry) => entry switch
    {
        JsonObject obj when ChatGptConversion.Looks(obj) => ChatGptConversion.Convert(obj),
        JsonObject obj => OpenWebUiEntry.Convert(obj),
        _ => throw new FormatException("not a JSON object"),
    };

    private (ChatRow, SplitChat) Row(string userId, ImportedChat chat)
    {
        var split = MessageTree.Split(chat.Chat);
        var now = chats.Now;
        var row = ChatStore.NewRow(userId, split, null, chat.Meta.ToJsonString(MessageTree.Compact), chat.Pinned,
            chat.CreatedAt is > 0 ? chat.CreatedAt.Value : now, chat.UpdatedAt is > 0 ? chat.UpdatedAt.Value : now);
        row.Archived = chat.Archived;
        return (row, split);
    }

    private async Task<int> Flush(List<(ChatRow, SplitChat)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        await chats.InsertAsync(batch.ToList(), cancellationToken);
        var count = batch.Count;
        batch.Clear();
        return count;
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
