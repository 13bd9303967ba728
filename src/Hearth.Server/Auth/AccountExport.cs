using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.KeyValue;

namespace Hearth.Server.Auth;

/// <summary>
/// GET <c>/api/v1/users/user/export</c>: everything Hearth keeps of the caller, in one zip made in a temporary file as it
/// is read, a page at a time (memory stays bounded whatever the size), then sent: <c>account.json</c> (the profile, its picture, info and status), <c>chats.json</c>
/// (every chat, archived ones too, as Open WebUI's JSON export, which Hearth and Open WebUI import), <c>folders.json</c>,
/// <c>settings.json</c>, <c>storage.json</c> (the personal key-value artifacts) and <c>files.json</c> with each artifact
/// file under <c>files/</c>. The app downloads it and then deletes the account (<see cref="AccountDeletion"/>): export
/// and leave in one step.
/// </summary>
internal sealed class AccountExport(UserStore users, ChatQueries chats, FolderStore folders, UserDetailsStore details, KvStore storage,
    ArtifactFileStore files, ArtifactFileKeeper keeper)
{
    private const int PageSize = 200;

    // Each export holds a copy of someone's whole account on disk while it is made: a few at a time, the rest wait.
    private static readonly SemaphoreSlim Exporting = new(2);

    public static IResult Download(CurrentUser caller, AccountExport export, TimeProvider clock, HttpContext http) =>
        TypedResults.Stream(body => export.SendAsync(caller.Id, body, http.RequestAborted), "application/zip",
            $"hearth-export-{clock.GetUtcNow():yyyy-MM-dd}.zip");

    /// <summary>
    /// The zip is made in a temporary file, then sent: a zip entry ends with a synchronous write,
    /// which a response (rightly) refuses, and a slow client should not hold a thread of the server.
    /// </summary>
    private async Task SendAsync(string userId, Stream body, CancellationToken cancellationToken)
    {
        await Exporting.WaitAsync(cancellationToken);
        try
        {
            await using var file = TemporaryCopy.Create();
            // Unlinked at once where the system allows it (the open file lives on), so a crash leaves no copy behind.
            TryDelete(file.Name);
            await WriteAsync(userId, file, cancellationToken);
            file.Position = 0;
            await file.CopyToAsync(body, cancellationToken);
        }
        finally
        {
            Exporting.Release();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleted on close instead.
        }
    }

    private async Task WriteAsync(string userId, Stream output, CancellationToken cancellationToken)
    {
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        var own = await details.GetAsync(userId, cancellationToken);
        if (await users.GetAsync(userId, cancellationToken) is { } user)
        {
            var account = JsonSerializer.SerializeToNode(UserModel.From(user, own), JsonSettings.Wire)!.AsObject();
            account["info"] = own.Info is null ? null : JsonNode.Parse(own.Info);
            await JsonAsync(zip, "account.json", account, cancellationToken);
        }
        await JsonAsync(zip, "chats.json", chats.StreamAsync(new ChatFilter(userId), cancellationToken), cancellationToken);
        await JsonAsync(zip, "folders.json", (await folders.AllAsync(userId, cancellationToken)).Select(FolderModel.From), cancellationToken);
        var settings = own.Settings ?? "null";
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

    /// <summary>Where a file goes in the zip: its conversation and id keep names apart, and the name (cleaned as uploads are) keeps none of a path.</summary>
    private static string FilePath(ArtifactFileRow row) => $"files/{row.ChatId}/{row.Id}-{FileNames.Clean(row.Name)}";

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
