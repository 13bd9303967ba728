using System.Security.Cryptography;
using Hearth.Server.ArtifactFiles;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.KeyValue;

/// <summary>
/// Serves the browser side of artifact storage: <c>hearth-storage-bridge.js</c> (inside a sandboxed HTML
/// artifact: a Claude-compatible <c>window.storage</c> over postMessage), <c>hearth-storage-host.js</c> (on
/// the page showing the artifact: answers with the viewer's session) and a manual test page with its script
/// and test artifact. Each file has its own CSP: the test page runs only Hearth's scripts and can be framed
/// only by Hearth (it acts with the viewer's session), the test artifact gets an artifact frame's sandbox and
/// egress rules, and the scripts cannot be framed at all.
/// </summary>
internal static class KvBridge
{
    private const string ScriptType = "text/javascript; charset=utf-8";
    private const string HtmlType = "text/html; charset=utf-8";
    private const string ScriptPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string TestPagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self'; object-src 'none'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
    private const string TestArtifactPolicy = ArtifactFileResponses.FramePolicy + "; frame-ancestors 'self'";

    private static readonly (string File, string ContentType, string Policy)[] Files =
    [
        ("hearth-storage-bridge.js", ScriptType, ScriptPolicy),
        ("hearth-storage-host.js", ScriptType, ScriptPolicy),
        ("hearth-storage-test.js", ScriptType, ScriptPolicy),
        ("hearth-storage-test.html", HtmlType, TestPagePolicy),
        ("hearth-storage-test-artifact.html", HtmlType, TestArtifactPolicy),
    ];

    public static void MapArtifactBridge(this IEndpointRouteBuilder routes)
    {
        foreach (var (file, contentType, policy) in Files)
        {
            var content = Read(file);
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");
            // X-Frame-Options for browsers older than frame-ancestors: the scripts never in a frame, the pages only in Hearth's.
            var frameOptions = policy.Contains("frame-ancestors 'none'", StringComparison.Ordinal) ? "DENY" : "SAMEORIGIN";
            routes.MapGet("/static/" + file, (HttpContext http) =>
            {
                var headers = http.Response.Headers;
                headers.ETag = etag.ToString();
                // Revalidated on every load, so a new Hearth version's script is picked up at once.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = policy;
                headers.XFrameOptions = frameOptions;
                headers["Referrer-Policy"] = "same-origin";
                return TypedResults.Bytes(content, contentType, entityTag: etag);
            }).AllowAnonymous().ExcludeFromDescription();
        }
    }

    private static byte[] Read(string file)
    {
        using var stream = typeof(KvBridge).Assembly.GetManifestResourceStream("wwwroot/static/" + file)
            ?? throw new InvalidOperationException($"The embedded file wwwroot/static/{file} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
