using Hearth.Server.ArtifactFiles;
using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary><c>/artifacts</c>: the gallery page, its infinite-scroll fragments and its previews.</summary>
internal static class GalleryPages
{
    public const int PageSize = 24;

    public static async Task<IResult> Gallery(HttpContext http, ArtifactFileStore store, CancellationToken cancellationToken,
        string? type = null, string? q = null)
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
        var active = query.Kind ?? FileKinds.All;
        var next = GalleryCards.Next(query, total);
        var empty = query.Search is null && active == FileKinds.All
            ? "No artifacts yet. Files that tools and agents make in your conversations will appear here."
            : "No artifacts match.";
        return new PageResult(Slices.Gallery.Create(new GalleryView(user, counts, active, query.Search, total, rows, next, empty)));
    }

    /// <summary>The next page of cards as an HTML fragment, with the following page's URL in <c>X-Next-Page</c>.</summary>
    public static async Task<IResult> Cards(HttpContext http, ArtifactFileStore store, CancellationToken cancellationToken,
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
        return new PageResult(Slices.Cards.Create(rows));
    }

    public static async Task<IResult> Preview(string conversationId, string artifactId, HttpContext http, ArtifactFileAccess access,
        ArtifactFileStore store, ArtifactFileKeeper files, CancellationToken cancellationToken)
    {
        var (user, refusal) = PageAuth.Check(http);
        if (refusal is not null)
        {
            return refusal;
        }
        var grant = await access.ResolveAsync(conversationId, user, write: false, cancellationToken);
        var row = grant is null ? null : await store.GetAsync(grant.Chat.Id, artifactId, cancellationToken);
        if (row is null)
        {
            return PageLayout.Result(http, """<p class="preview-error">This artifact no longer exists.</p>""", StatusCodes.Status404NotFound);
        }
        return new PageResult(Slices.Preview.Create(await Previews.ReadAsync(row, files, cancellationToken)));
    }
}

/// <summary>What <c>Slices/Gallery.cshtml</c> shows: the filter counts, the search, the first page of cards and the next page's URL.</summary>
public sealed record GalleryView(CurrentUser User, IReadOnlyDictionary<string, long> Counts, string Active, string? Search, long Total,
    IReadOnlyList<ArtifactFileRow> Rows, string? Next, string Empty);
