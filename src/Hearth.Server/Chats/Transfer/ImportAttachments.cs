using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Stores the files of an imported chat as its artifact files, attached to their messages the way files made by
/// tools are (the message's <c>files</c> lists them), and points links that named them at the artifact.
/// </summary>
internal sealed class ImportAttachments(ArtifactFileKeeper artifacts, ChatMessageStore messages)
{
    /// <returns>Why a file was not kept, one line each; <paramref name="missing"/> counts files the export does not hold.</returns>
    public async Task<List<string>> StoreAsync(ChatRow chat, IReadOnlyList<ImportedFile> files, ExportArchive? archive, Action missing,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var file in files)
        {
            await using var content = await OpenAsync(file, archive, cancellationToken);
            if (content is null)
            {
                missing();
                continue;
            }
            var name = file.ExportName is { } exportName && archive?.Find(exportName) is { } entry && file.Name == exportName
                ? ExportArchive.OriginalName(entry, exportName)
                : file.Name;
            var stored = await artifacts.StoreAsync(chat, file.MessageId, name, null, content, cancellationToken, keepTime: true);
            if (stored.Row is not { } row)
            {
                problems.Add($"'{chat.Title}': the file '{name}' was not kept: {stored.TooLarge ?? "its message is missing"}");
                continue;
            }
            if (file.Link is { } link)
            {
                var url = ArtifactFileLinks.Path(row.ChatId, row.Id);
                await messages.ChangeAsync(chat.Id, file.MessageId, message =>
                {
                    if (message?["content"] is { } text && MessageTree.String(text) is { } value)
                    {
                        message["content"] = value.Replace(link, url);
                    }
                    return message;
                }, false, cancellationToken, keepTime: true);
            }
        }
        return problems;
    }

    /// <summary>The file's bytes as a seekable stream: in memory when the export carried them, else a temporary copy of the zip entry.</summary>
    private static async Task<Stream?> OpenAsync(ImportedFile file, ExportArchive? archive, CancellationToken cancellationToken)
    {
        if (file.Content is { } bytes)
        {
            return new MemoryStream(bytes, writable: false);
        }
        if (file.ExportName is null || archive?.Find(file.ExportName) is not { } entry)
        {
            return null;
        }
        var copy = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        await using (var zipped = entry.Open())
        {
            await zipped.CopyToAsync(copy, cancellationToken);
        }
        copy.Position = 0;
        return copy;
    }
}
