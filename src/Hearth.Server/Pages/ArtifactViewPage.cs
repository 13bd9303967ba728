using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Pages;

/// <summary>
/// An HTML artifact opened as a page of its own (a link, a signed URL): Hearth's page around it, with the
/// artifact in the same sandboxed frame as the gallery's preview. Loaded directly, the artifact would be the
/// top window, which a sandbox cannot keep from navigating itself to another site; in this frame the page's
/// <c>frame-src 'self'</c> stops that, and the page answers its window.storage in the artifact's key space.
/// </summary>
internal static class ArtifactViewPage
{
    public static IResult Show(HttpContext http, ArtifactFileRow row)
    {
        // The frame asks for this same URL (with a signed URL's signature); as a frame, it gets the file.
        var source = http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
        return new PageResult(Slices.ArtifactView.Create(new ArtifactFrame(row.Name, source, ArtifactFileKeySpace.For(row))));
    }
}

/// <summary>
/// What <c>Slices/ArtifactView.cshtml</c> frames: the artifact's name, the URL its sandboxed frame loads and the key
/// space its window.storage lives in.
/// </summary>
public sealed record ArtifactFrame(string Name, string Source, string StorageSpace);
