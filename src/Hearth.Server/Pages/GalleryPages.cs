using Hearth.Server.Files;

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
        var query = ArtifactListHandlers.ParseGallery(user!.Id, 1, PageSize, type, q, null)
            ?? new GalleryQuery(user.Id, null, null, null, 1, PageSize);
        var counts = query.Search is null ? await store.CountsAsync(user.Id, cancellationToken) : await store.CountsMatchingAsync(user.Id, query.Search, cancellationToken);
        var (rows, total) = await store.PageAsync(query, cancellationToken);
        var active = query.Kind ?? FileKinds.All;
        var next = GalleryCards.Next(query, total);
        var empty = query.Search is null && active == FileKinds.All
            ? "No artifacts yet. Files that tools and agents make in your conversations will appear here."
            : "No artifacts match.";
        var body = $"""
            <section class="gallery" aria-label="Artifacts">
              <div class="toolbar">
                <h1>Artifacts</h1>
                {GalleryCards.Filters(counts, active, query.Search)}
                <form class="search" method="get" action="/artifacts" role="search">
                  <input type="hidden" name="type" value="{active}">
                  <input type="search" name="q" value="{Html.E(query.Search)}" placeholder="Search by name" aria-label="Search by name" autocomplete="off">
                </form>
              </div>
              <p class="summary">{total} {(total == 1 ? "artifact" : "artifacts")}</p>
              <div class="grid" id="grid">{GalleryCards.Cards(rows)}</div>
              <p class="empty"{(total == 0 ? "" : " hidden")}>{Html.E(empty)}</p>
              <div id="more" class="more"{(next is null ? " hidden" : $" data-next=\"{Html.E(next)}\"")}>Loading more…</div>
            </section>
            <div id="preview" class="preview" role="dialog" aria-modal="true" aria-labelledby="preview-name" hidden>
              <div class="preview-bar">
                <span class="preview-name" id="preview-name"></span>
                <span class="preview-facts"></span>
                <a class="button primary download" href="#" download>Download</a>
                <button type="button" class="icon close" aria-label="Close (Escape)">✕</button>
              </div>
              <button type="button" class="icon nav prev" aria-label="Previous (←)">‹</button>
              <div class="preview-body" tabindex="-1"></div>
              <button type="button" class="icon nav next" aria-label="Next (→)">›</button>
            </div>
            """;
        // The host side of window.storage answers HTML previews with the viewer's session.
        var scripts = new[] { "/static/hearth-storage-host.js", "/assets/gallery.js" };
        return PageLayout.Page(http, "Artifacts", body, user, signOut: true, scripts);
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
        if (ArtifactListHandlers.ParseGallery(user!.Id, page, PageSize, type, q, null) is not { } query)
        {
            return PageLayout.Result(http, "", StatusCodes.Status422UnprocessableEntity);
        }
        var (rows, total) = await store.PageAsync(query, cancellationToken);
        if (GalleryCards.Next(query, total) is { } next)
        {
            http.Response.Headers["X-Next-Page"] = next;
        }
        return PageLayout.Result(http, GalleryCards.Cards(rows));
    }

    public static async Task<IResult> Preview(string conversationId, string artifactId, HttpContext http, ArtifactAccess access,
        ArtifactFileStore store, ArtifactFiles files, CancellationToken cancellationToken)
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
        return PageLayout.Result(http, await Previews.RenderAsync(row, files, cancellationToken));
    }
}
