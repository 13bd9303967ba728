using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.KeyValue;

namespace Hearth.Server.Auth;

/// <summary>
/// GET <c>/api/v1/users/user/export</c>: everything Hearth keeps of the caller, in one zip written as it is read (memory
/// stays bounded whatever the size): <c>chats.json</c> (every chat, archived ones too, as Open WebUI's JSON export,
/// which Hearth and Open WebUI import), <c>folders.json</c>, <c>settings.json</c>, <c>storage.json</c> (the personal
/// key-value artifacts) and <c>files.json</c> with each artifact file under <c>files/</c>. The app downloads it and
/// then deletes the account (<see cref="AccountDeletion"/>): export and leave in one step.
/// </summary>
internal sealed class AccountExport(ChatQueries chats, FolderStore folders, UserDetailsStore details, KvStore storage,
    ArtifactFileStore files, ArtifactFileKeeper keeper)
{
    private const int PageSize = 200;

    public static IResult Download(CurrentUser caller, AccountExport export, TimeProvider clock, HttpContext http) =>
        TypedResults.Stream(body => export.SendAsync(caller.Id, body, http.RequestAborted), "application/zip",
            $"hearth-export-{clock.GetUtcNow():yyyy-MM-dd}.zip");

    /// <summary>
    /// The zip is made in a temporary file, deleted once sent, then sent: a zip entry ends with a synchronous write,
    /// which a response (rightly) refuses, and a slow client should not hold a thread of the server.
    /// </summary>
    private async Task SendAsync(string userId, Stream body, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await WriteAsync(userId, file, cancellationToken);
        file.Position = 0;
        await file.CopyToAsync(body, cancellationToken);
    }

    public async Task WriteAsync(string userId, Stream output, CancellationToken cancellationToken)
    {
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await JsonAsync(zip, "chats.json", chats.StreamAsync(new ChatFilter(userId), cancellationToken), cancellationToken);
        await JsonAsync(zip, "folders.json", (await folders.AllAsync(userId, cancellationToken)).Select(FolderModel.From), cancellationToken);
        var settings = (await details.GetAsync(userId, cancellationToken)).Settings ?? "null";
        await EntryAsync(zip, "settings.json", s => s.WriteAsync(Encoding.UTF8.GetBytes(settings), cancellationToken).AsTask(), cancellationToken);
        await JsonAsync(zip, "storage.json", StorageAsync(userId, cancellationToken), cancellationToken);
        var listed = new List<ArtifactFileItem>();
        for (var page = 1; ; page++)
        {
            var (rows, _) = await files.PageAsync(new GalleryQuery(userId, null, null, null, page, PageSize), cancellationToken);
            foreach (var row in rows)
            {
                await using var content = await keeper.OpenAsync(row, cancellationToken);
                if (content is not null)
                {
                    await EntryAsync(zip, FilePath(row), s => content.CopyToAsync(s, cancellationToken), cancellationToken);
                    listed.Add(ArtifactFileItem.From(row) with { Url = FilePath(row) });
                }
            }
            if (rows.Count < PageSize)
            {
                break;
            }
        }
        await JsonAsync(zip, "files.json", listed, cancellationToken);
    }

    /// <summary>Where a file goes in the zip: its conversation and id keep names apart, and the name keeps none of a path.</summary>
    private static string FilePath(ArtifactFileRow row) =>
        $"files/{row.ChatId}/{row.Id}-{string.Concat(row.Name.Select(c => c is '/' or '\\' or ':' || char.IsControl(c) ? '_' : c)).TrimStart('.')}";

    private async IAsyncEnumerable<KvResponse> StorageAsync(string userId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var page = await storage.ListAsync(userId, null, after, PageSize, withValues: true, cancellationToken);
            foreach (var row in page.Rows)
            {
                yield return KvResponse.From(row);
            }
            if (!page.More || page.Rows.Count == 0)
            {
                yield break;
            }
            after = page.Rows[^1].Key;
        }
    }

    private static Task JsonAsync<T>(ZipArchive zip, string name, T value, CancellationToken cancellationToken) =>
        EntryAsync(zip, name, s => JsonSerializer.SerializeAsync(s, value, JsonSettings.Wire, cancellationToken), cancellationToken);

    private static async Task EntryAsync(ZipArchive zip, string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        await using var entry = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(cancellationToken);
        await write(entry);
    }
}
