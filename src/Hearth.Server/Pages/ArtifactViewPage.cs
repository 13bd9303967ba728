using Hearth.Server.Files;

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
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.E(row.Name)} · Hearth</title>
            <link rel="icon" href="/assets/hearth.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/hearth.css">
            </head>
            <body class="artifact-view">
            <iframe class="artifact-frame" sandbox="{ArtifactResponses.FrameSandbox}" data-src="{Html.E(source)}" title="{Html.E(row.Name)}"
                referrerpolicy="no-referrer" data-storage-space="{Html.E(ArtifactKeySpace.For(row))}"></iframe>
            <script src="/static/hearth-storage-host.js"></script>
            <script src="/assets/artifact-view.js"></script>
            </body>
            </html>
            """;
        return PageLayout.Result(http, html);
    }
}
