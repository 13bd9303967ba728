using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Chats.Transfer;

internal sealed record ImportProgress(long BytesRead, long BytesTotal, int Imported, int Skipped);

/// <summary>
/// What an import did: chats written and skipped, why, and how many files the conversations name that the export
/// lacks. <see cref="TooLarge"/>: it stopped at a limit of <see cref="ImportOptions"/> (the HTTP route's 413).
/// </summary>
internal sealed record ImportSummary(int Imported, int Skipped, IReadOnlyList<string> Problems, bool Stopped, int MissingFiles = 0,
    [property: JsonIgnore] bool TooLarge = false);

/// <summary>
/// Imports an Open WebUI export, a ChatGPT export or a Claude.ai export (<c>conversations.json</c>, or the export
/// <c>.zip</c> holding it and the files it names) for one user, reading one entry at a time so memory stays
/// bounded whatever the file size. Entries are written in small batches, each in one transaction, so an entry is
/// never half-written; a chat's files are stored after its batch, as artifact files of their messages. What is read
/// is bounded as it is read (<see cref="ImportOptions"/>): one conversation's JSON, and all a zip unpacks to.
/// </summary>
internal sealed class ChatImporter(ChatStore chats, TagStore tags, ImportAttachments attachments, IOptions<ImportOptions> options)
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
        var limit = options.Value.MaxUnpackedSize;
        var tooLarge = ErrorMessages.ImportUnpacksTooLarge(limit);
        var unpacked = new ReadBudget(limit, tooLarge);
        var archive = new ExportArchive(zip, unpacked);
        // What the entries declare refuses an honest bomb before anything is written; the budget, counting what
        // actually unpacks, stops one whose entries lie.
        if (entry.Length + archive.DeclaredLength > limit)
        {
            return new ImportSummary(0, 0, [tooLarge], Stopped: true, TooLarge: true);
        }
        await using var zipped = unpacked.Watch(entry.Open());
        return await ImportAsync(zipped, entry.Length, userId, stopOnError, progress, cancellationToken, archive);
    }

    public async Task<ImportSummary> ImportAsync(Stream source, long length, string userId, bool stopOnError,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken, ExportArchive? archive = null)
    {
        var chatLimit = options.Value.MaxChatSize;
        // Restarted at each conversation: the deserialiser holds one whole in memory before it yields it.
        var oneChat = new ReadBudget(chatLimit, ErrorMessages.ImportChatTooLarge(chatLimit));
        var counting = oneChat.Watch(source);
        var problems = new List<string>();
        var batch = new List<Pending>();
        int imported = 0, skipped = 0, position = 0, missing = 0;
        bool stopped = false, tooLarge = false;
        async Task Flush()
        {
            // Taken out first: a batch whose files fail part way is written already and must not be written again.
            var writing = batch.ToList();
            batch.Clear();
            if (writing.Count == 0)
            {
                return;
            }
            var rows = await chats.InsertAsync(writing.Select(p => (p.Row, p.Split)).ToList(), cancellationToken);
            imported += writing.Count;
            await tags.EnsureAllAsync(userId, rows.Select(r => r.Meta), cancellationToken);
            foreach (var pending in writing.Where(p => p.Files.Count > 0))
            {
                problems.AddRange(await attachments.StoreAsync(pending.Row, pending.Files, archive, () => missing++, cancellationToken));
            }
        }
        // After the reading stopped: the chats read are written, their files as far as the zip's budget goes.
        async Task<bool> FlushWithinBudget()
        {
            try
            {
                await Flush();
                return true;
            }
            catch (ReadBudgetExceededException e)
            {
                if (!problems.Contains(e.Message))
                {
                    problems.Add(e.Message);
                }
                return false;
            }
        }
        try
        {
            await foreach (var entry in JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(counting, cancellationToken: cancellationToken))
            {
                oneChat.Restart();
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
                    await Flush();
                    progress?.Report(new ImportProgress(counting.Position, length, imported, skipped));
                }
            }
            await Flush();
        }
        catch (JsonException e)
        {
            problems.Add($"entry {position + 1}: the file is not valid JSON here ({e.Message}); nothing after it was read");
            stopped = true;
            tooLarge = !await FlushWithinBudget();
        }
        catch (ReadBudgetExceededException e)
        {
            // The conversations read before the limit are whole and kept (as after a JSON error); the rest is not read.
            // With the zip's budget spent their files cannot be read either: the chats are kept without them.
            problems.Add(e.Message);
            stopped = tooLarge = true;
            await FlushWithinBudget();
        }
        progress?.Report(new ImportProgress(counting.Position, length, imported, skipped));
        return new ImportSummary(imported, skipped, problems, stopped, missing, tooLarge);
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
}
