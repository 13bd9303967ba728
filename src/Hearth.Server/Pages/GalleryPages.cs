using Hearth.Server.ArtifactFiles;
using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary><c>/artifacts</c>: the gallery page, its infinite-scroll fragments and its previews.</summary>
internal static class GalleryPages
{
    public const int PageSize = 24;

    /// <param name="open">A preview's own address (<c>chat/artifact</c>, see <see cref="PreviewKey"/>): the page comes with it open.</param>
    public static async Task<IResult> Gallery(HttpContext http, ArtifactFileStore store, ArtifactFileAccess access, ArtifactFileKeeper files,
        CancellationToken cancellationToken, string? type = null, string? q = null, string? open = null)
    {
        var (user, refusal) = PageAuth.Check(http);
        if (refusal is not null)
        {
            return refusal;
        }
        var query = ArtifactFileListHandlers.ParseGallery(user!.Id, 1, PageSize, type, q, null)
            ?? new GalleryQuery(user.Id, null, null, null, 1, PageSize);
        var counts = query.Search is null ? await store.CountsAsync(user.Id, cancellationToken) : await store.CountsMatchingAsync(user.Id, query.Search, cancellationToken);
        var (rows, total) = await store.PageAsync(query, cancellationToken);
        var cards = await CardSnippets.ReadAsync(rows, files, cancellationToken);
        var opened = await OpenedAsync(open, user, access, store, files, cancellationToken);
        var active = query.Kind ?? FileKinds.All;
        var next = GalleryCards.Next(query, total);
        var empty = query.Search is null && active == FileKinds.All
            ? "No artifacts yet. Files that tools and agents make in your conversations will appear here."
            : "No artifacts match.";
        return new PageResult(Slices.Gallery.Create(new GalleryView(user, counts, active, query.Search, total, cards, next, empty, opened)));
    }

    /// <summary>The next page of cards as an HTML fragment, with the following page's URL in <c>X-Next-Page</c>.</summary>
    public static async Task<IResult> Cards(HttpContext http, ArtifactFileStore store, ArtifactFileKeeper files, CancellationToken cancellationToken,
        string? type = null, string? q = null, int? page = null)
    {
        var (user, refusal) = PageAuth.Check(http);
        if (refusal is not null)
        {
            return refusal;
        }
        if (ArtifactFileListHandlers.ParseGallery(user!.Id, page, PageSize, type, q, null) is not { } query)
        {
            return PageLayout.Result(http, "", StatusCodes.Status422UnprocessableEntity);
        }
        var (rows, total) = await store.PageAsync(query, cancellationToken);
        if (GalleryCards.Next(query, total) is { } next)
        {
            http.Response.Headers["X-Next-Page"] = next;
        }
        return new PageResult(Slices.Cards.Create(await CardSnippets.ReadAsync(rows, files, cancellationToken)));
    }

    public static async Task<IResult> Preview(string conversationId, string artifactId, HttpContext http, ArtifactFileAccess access,
        ArtifactFileStore store, ArtifactFileKeeper files, CancellationToken cancellationToken)
    {
        var (user, refusal) = PageAuth.Check(http);
        if (refusal is not null)
        {
            return refusal;
        }
        if (await FindAsync(conversationId, artifactId, user!, access, store, cancellationToken) is not { } row)
        {
            return PageLayout.Result(http, """<p class="preview-error">This artifact no longer exists.</p>""", StatusCodes.Status404NotFound);
        }
        return new PageResult(Slices.Preview.Create(await Previews.ReadAsync(row, files, cancellationToken)));
    }

    /// <summary>The artifact a gallery address names with <c>?open=</c>, read for its preview; null when it is not the reader's to see.</summary>
    private static async Task<PreviewView?> OpenedAsync(string? open, CurrentUser user, ArtifactFileAccess access, ArtifactFileStore store,
        ArtifactFileKeeper files, CancellationToken cancellationToken) =>
        PreviewKey.Parse(open) is var (chatId, artifactId)
            && await FindAsync(chatId, artifactId, user, access, store, cancellationToken) is { } row
            ? await Previews.ReadAsync(row, files, cancellationToken)
            : null;

    private static async Task<ArtifactFileRow?> FindAsync(string conversationId, string artifactId, CurrentUser user, ArtifactFileAccess access,
        ArtifactFileStore store, CancellationToken cancellationToken)
    {
        var grant = await access.ResolveAsync(conversationId, user, write: false, cancellationToken);
        var row = grant is null ? null : await store.GetAsync(grant.Chat.Id, artifactId, cancellationToken);
        return row is not null && ArtifactFileAccess.Covers(grant!, row) ? row : null;
    }
}

/// <summary>
/// A preview's address in the gallery: <c>/artifacts?open={chat}/{artifact}</c> (with the filter and search it was
/// opened from). The gallery's script pushes it when a preview opens, so Back closes the preview and the address,
/// shared or reloaded, opens it again.
/// </summary>
internal static class PreviewKey
{
    public static string For(ArtifactFileRow row) => row.ChatId + "/" + row.Id;

    public static (string ChatId, string ArtifactId)? Parse(string? open) =>
        open?.Split('/') is [{ Length: > 0 } chatId, { Length: > 0 } artifactId] ? (chatId, artifactId) : null;
}

/// <summary>What <c>Slices/Gallery.cshtml</c> shows: the filter counts, the search, the first page of cards, the next page's URL and the preview its address opens.</summary>
public sealed record GalleryView(CurrentUser User, IReadOnlyDictionary<string, long> Counts, string Active, string? Search, long Total,
    IReadOnlyList<GalleryCard> Cards, string? Next, string Empty, PreviewView? Opened);
