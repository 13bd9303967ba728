using System.IO.Compression;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Stores the files of an imported chat as its artifact files, attached to their messages the way files made by
/// tools are (the message's <c>files</c> lists them), and points links that named them at the artifact.
/// </summary>
internal sealed class ImportAttachments(ArtifactFileKeeper artifacts, ChatMessageStore messages, IOptions<FileStorageOptions> limits)
{
    /// <returns>Why a file was not kept, one line each; <paramref name="missing"/> counts files the export does not hold.</returns>
    public async Task<List<string>> StoreAsync(ChatRow chat, IReadOnlyList<ImportedFile> files, ExportArchive? archive, Action missing,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var file in files)
        {
            var entry = file.ExportName is { } exportName ? archive?.Find(exportName) : null;
            var name = entry is not null && file.Name == file.ExportName ? ExportArchive.OriginalName(entry, file.ExportName) : file.Name;
            if (file.Content is null && entry is null)
            {
                missing();
                continue;
            }
            await using Stream? content = file.Content is { } bytes ? new MemoryStream(bytes, writable: false)
                : await UnpackAsync(archive!, entry!, cancellationToken);
            var stored = content is null
                ? new StoreResult(null, ErrorMessages.ArtifactTooLarge(limits.Value.MaxFileSize))
                : await artifacts.StoreAsync(chat, file.MessageId, name, null, content, cancellationToken, keepTime: true);
            if (stored.Row is not { } row)
            {
                problems.Add($"'{chat.Title}': the file '{name}' was not kept: {stored.TooLarge ?? (stored.ChatGone ? "the chat was deleted meanwhile" : "its message is missing")}");
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

    /// <summary>The entry in a temporary file, unpacked no further than one artifact may be (a larger one would be refused anyway); null past that.</summary>
    private async Task<FileStream?> UnpackAsync(ExportArchive archive, ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        await using var unpacking = archive.Open(entry);
        return await TemporaryCopy.FromAsync(unpacking, limits.Value.MaxFileSize, cancellationToken);
    }
}
