using System.IO.Compression;
using System.Text;
using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Writes a user's chats as a <c>.zip</c> of Markdown files to read: <c>{title}-{id}.md</c> per chat and, beside
/// it, a folder of the same name holding the chat's artifact files, which the Markdown links to. One chat and
/// one file in memory at a time.
/// </summary>
internal sealed class MarkdownExporter(ChatQueries queries, ArtifactFileStore files, ArtifactFileKeeper artifacts)
{
    public async Task<int> ExportAsync(string userId, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var count = 0;
        await foreach (var chat in queries.StreamAsync(new ChatFilter(userId), cancellationToken))
        {
            var name = FileName(chat);
            var paths = new Dictionary<string, string>();
            foreach (var row in await files.OfConversationAsync(chat.Id, null, cancellationToken))
            {
                await using var content = await artifacts.OpenAsync(row, cancellationToken);
                if (content is null)
                {
                    continue; // a file whose bytes are gone is left out, as the gallery leaves it out
                }
                var path = $"{name}/{(paths.ContainsValue($"{name}/{row.Name}") ? $"{row.Id[..8]}-{row.Name}" : row.Name)}";
                paths[row.Id] = path;
                await using var entry = await zip.CreateEntry(path).OpenAsync(cancellationToken);
                await content.CopyToAsync(entry, cancellationToken);
            }
            var text = ChatMarkdown.Write(chat.Title, ChatMarkdown.CurrentBranch(chat),
                file => MessageTree.String(file["id"]) is { } id && paths.TryGetValue(id, out var path) ? path : null);
            await using (var entry = await zip.CreateEntry(name + ".md").OpenAsync(cancellationToken))
            {
                await entry.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            }
            if (++count % 100 == 0)
            {
                progress?.Report(count);
            }
        }
        progress?.Report(count);
        return count;
    }

    /// <summary>The title made safe as a file name on every system, with the start of the id so two chats of one title stay apart.</summary>
    public static string FileName(ChatResponse chat)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat("<>:\"/\\|?*").ToHashSet();
        var title = new string(chat.Title.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim().TrimEnd('.');
        if (title.Length > 80)
        {
            title = title[..80].TrimEnd();
        }
        return $"{(title.Length == 0 ? "chat" : title)}-{chat.Id[..Math.Min(8, chat.Id.Length)]}";
    }
}
