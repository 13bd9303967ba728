using System.Text;
using Hearth.Server.Files;

namespace Hearth.Server.Pages;

/// <summary>The gallery's cards and filter chips as HTML (the page and the infinite-scroll fragments share them).</summary>
internal static class GalleryCards
{
    public static readonly Dictionary<string, string> Labels = new()
    {
        [FileKinds.All] = "All", [FileKinds.Images] = "Images", [FileKinds.Html] = "HTML", [FileKinds.Code] = "Code", [FileKinds.Files] = "Files",
    };

    public static string Card(ArtifactFileRow row)
    {
        var url = ArtifactLinks.Path(row.ChatId, row.Id);
        var extension = FileKinds.Extension(row.Name).TrimStart('.').ToUpperInvariant();
        var thumb = row.Kind == FileKinds.Images
            ? $"""<img src="{Html.E(url)}?inline=true" alt="" loading="lazy" decoding="async">"""
            : $"""<span class="badge">{Html.E(extension.Length is > 0 and <= 5 ? extension : Labels[row.Kind])}</span>""";
        var title = string.IsNullOrWhiteSpace(row.ChatTitle) ? "Untitled conversation" : row.ChatTitle;
        return $"""
            <article class="card kind-{row.Kind}" tabindex="0" data-id="{Html.E(row.Id)}" data-name="{Html.E(row.Name)}"
                data-kind="{row.Kind}" data-download="{Html.E(url)}" data-preview="/artifacts/preview/{Html.E(row.ChatId)}/{Html.E(row.Id)}">
              <div class="thumb">{thumb}</div>
              <div class="meta">
                <h3 class="name" title="{Html.E(row.Name)}">{Html.E(row.Name)}</h3>
                <p class="facts"><span class="size">{Html.Size(row.Size)}</span> · <time datetime="{Html.IsoTime(row.Created)}">{Html.Time(row.Created)}</time></p>
                <a class="conversation" href="/c/{Html.E(row.ChatId)}" title="Open the conversation">{Html.E(title)}</a>
              </div>
            </article>
            """;
    }

    public static string Cards(IEnumerable<ArtifactFileRow> rows)
    {
        var html = new StringBuilder();
        foreach (var row in rows)
        {
            html.Append(Card(row));
        }
        return html.ToString();
    }

    public static string Filters(IReadOnlyDictionary<string, long> counts, string active, string? q)
    {
        var html = new StringBuilder("<nav class=\"filters\" aria-label=\"Type\">");
        foreach (var filter in FileKinds.Filters)
        {
            var href = "/artifacts?type=" + filter + (q is null ? "" : "&q=" + Html.U(q));
            var current = filter == active ? " active\" aria-current=\"page" : "";
            html.Append($"""<a class="chip{current}" data-type="{filter}" href="{Html.E(href)}">{Labels[filter]} <span class="count">{counts.GetValueOrDefault(filter)}</span></a>""");
        }
        return html.Append("</nav>").ToString();
    }

    /// <summary>The URL of the next fragment, or null on the last page.</summary>
    public static string? Next(GalleryQuery query, long total) =>
        (long)query.Page * query.Size >= total
            ? null
            : $"/artifacts/cards?type={query.Kind ?? FileKinds.All}&page={query.Page + 1}" + (query.Search is null ? "" : "&q=" + Html.U(query.Search));
}
