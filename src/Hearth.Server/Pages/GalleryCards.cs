using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Pages;

/// <summary>What the gallery's cards and filter chips say (<c>Slices/Gallery.cshtml</c>, <c>Slices/Cards.cshtml</c>).</summary>
internal static class GalleryCards
{
    public static readonly Dictionary<string, string> Labels = new()
    {
        [FileKinds.All] = "All", [FileKinds.Images] = "Images", [FileKinds.Html] = "HTML", [FileKinds.Code] = "Code", [FileKinds.Files] = "Files",
    };

    /// <summary>A file's badge: its extension when short enough to read at a glance, else <paramref name="fallback"/> or its kind.</summary>
    public static string Badge(ArtifactFileRow row, string? fallback = null)
    {
        var extension = FileKinds.Extension(row.Name).TrimStart('.').ToUpperInvariant();
        return extension.Length is > 0 and <= 5 ? extension : fallback ?? Labels[row.Kind];
    }

    public static string FilterHref(string filter, string? q) => "/artifacts?type=" + filter + (q is null ? "" : "&q=" + Html.U(q));

    /// <summary>The URL of the next fragment, or null on the last page.</summary>
    public static string? Next(GalleryQuery query, long total) =>
        (long)query.Page * query.Size >= total
            ? null
            : $"/artifacts/cards?type={query.Kind ?? FileKinds.All}&page={query.Page + 1}" + (query.Search is null ? "" : "&q=" + Html.U(query.Search));
}
