using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.Artifacts;

/// <summary>
/// Serves the browser side of artifact storage: <c>hearth-storage-bridge.js</c> (inside a sandboxed HTML
/// artifact: a Claude-compatible <c>window.storage</c> over postMessage), <c>hearth-storage-host.js</c> (on
/// the page showing the artifact: answers with the viewer's session) and a manual test page.
/// </summary>
internal static class ArtifactBridge
{
    private static readonly (string File, string ContentType)[] Files =
    [
        ("hearth-storage-bridge.js", "text/javascript; charset=utf-8"),
        ("hearth-storage-host.js", "text/javascript; charset=utf-8"),
        ("hearth-storage-test.html", "text/html; charset=utf-8"),
    ];

    public static void MapArtifactBridge(this IEndpointRouteBuilder routes)
    {
        foreach (var (file, contentType) in Files)
        {
            var content = Read(file);
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");
            routes.MapGet("/static/" + file, (HttpContext http) =>
            {
                http.Response.Headers.ETag = etag.ToString();
                // Revalidated on every load, so a new Hearth version's script is picked up at once.
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Bytes(content, contentType, entityTag: etag);
            }).AllowAnonymous().ExcludeFromDescription();
        }
    }

    private static byte[] Read(string file)
    {
        using var stream = typeof(ArtifactBridge).Assembly.GetManifestResourceStream("wwwroot/static/" + file)
            ?? throw new InvalidOperationException($"The embedded file wwwroot/static/{file} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
