using System.Text;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// How a stored file goes out. It can never act as one of Hearth's pages: every answer carries
/// <c>nosniff</c> and a sandboxing CSP (a unique origin, no cookies, no access to Hearth's API or DOM) that
/// also stops it sending anything to another site (no fetch, beacon, form post, image or script from
/// elsewhere). Scripts run only when a browser asks for the file as a frame's content (<c>Sec-Fetch-Dest</c>),
/// because only a frame in a Hearth page is kept from navigating itself away: the page's <c>frame-src
/// 'self'</c> blocks that, and the sandbox blocks navigating the top window and opening pop-ups. An HTML
/// file opened as a page of its own gets <see cref="Pages.ArtifactViewPage"/>, which shows it in such a frame.
/// </summary>
internal static class ArtifactFileResponses
{
    /// <summary>
    /// Everything a stored file may load, and where it may send: Hearth itself, inline code and data, and
    /// cdnjs for libraries (as Claude's artifacts allow), nothing else. There is no navigate-to in browsers;
    /// the sandbox and the showing page's frame-src stand in for it.
    /// </summary>
    private const string Egress =
        "default-src 'none'; " +
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob: data: https://cdnjs.cloudflare.com; " +
        "style-src 'self' 'unsafe-inline' blob: data: https://cdnjs.cloudflare.com; " +
        "font-src 'self' data: https://cdnjs.cloudflare.com; " +
        "img-src 'self' data: blob:; media-src 'self' data: blob:; frame-src 'self' data: blob:; worker-src blob:; " +
        "connect-src 'none'; form-action 'none'; base-uri 'self'; object-src 'none'";

    /// <summary>
    /// What a Claude-style app needs in its frame: scripts, forms handled by their submit handlers, and
    /// alert/confirm/prompt. Never allow-same-origin (it would reach Hearth with the viewer's cookie),
    /// allow-top-navigation or allow-popups (ways out of the frame).
    /// </summary>
    public const string FrameSandbox = "allow-scripts allow-forms allow-modals";

    /// <summary>A file shown in a frame of a Hearth page.</summary>
    public const string FramePolicy = "sandbox " + FrameSandbox + "; " + Egress;

    /// <summary>Any other inline answer (an image, an SVG opened on its own, a client without Fetch Metadata): nothing runs.</summary>
    public const string StaticPolicy = "sandbox; " + Egress;

    public const string DownloadPolicy = StaticPolicy;

    /// <summary>The frame side of window.storage (artifact storage's bridge), put into every HTML preview.</summary>
    public const string BridgeScript = "/static/hearth-storage-bridge.js";

    public static async Task<IResult> ServeAsync(HttpContext http, ArtifactFileRow row, Stream content, bool inline, CancellationToken cancellationToken)
    {
        var headers = http.Response.Headers;
        var destination = http.Request.Headers["Sec-Fetch-Dest"].ToString();
        if (inline)
        {
            // The same URL answers a frame and a page differently.
            headers.Vary = "Sec-Fetch-Dest";
            if (row.Kind == FileKinds.Html && destination == "document")
            {
                await content.DisposeAsync();
                return Pages.ArtifactViewPage.Show(http, row);
            }
        }
        SetGuards(headers, destination, inline, FramePolicy);
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(row.Name);
        headers.ContentDisposition = disposition.ToString();
        var type = ContentType(row.MimeType);
        if (inline && row.Kind == FileKinds.Html)
        {
            // The preview gives the page a window.storage that talks to the gallery over postMessage.
            string html;
            await using (content)
            {
                using var reader = new StreamReader(content, Encoding.UTF8);
                html = await reader.ReadToEndAsync(cancellationToken);
            }
            return TypedResults.Text(BridgeInjection.Inject(html, BridgeScript), "text/html; charset=utf-8");
        }
        return TypedResults.Stream(content, type, lastModified: row.Created,
            entityTag: new EntityTagHeaderValue($"\"{row.Sha256[..32]}\""), enableRangeProcessing: content.CanSeek);
    }

    /// <summary>
    /// The headers every artifact a user or a model made is served with, whatever route serves it: never sniffed into
    /// another type, never reused from a cache unasked, and scripts run only as a frame's content (<paramref name="framePolicy"/>),
    /// never as a page or a subresource of Hearth's origin.
    /// </summary>
    /// <param name="destination">The request's <c>Sec-Fetch-Dest</c>.</param>
    /// <param name="inline">False for a download, which runs nothing.</param>
    public static void SetGuards(IHeaderDictionary headers, string destination, bool inline, string framePolicy)
    {
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = !inline ? DownloadPolicy : destination is "iframe" or "frame" ? framePolicy : StaticPolicy;
        headers.CacheControl = "private, no-cache";
    }

    /// <summary>Text goes out as UTF-8, which is what the tools that make artifacts write.</summary>
    public static string ContentType(string mimeType) =>
        FileKinds.LooksTextual(mimeType) || mimeType == "image/svg+xml" ? mimeType + "; charset=utf-8" : mimeType;
}

/// <summary>Puts a script tag into an HTML document without changing its rendering mode (after the doctype, inside head when there is one).</summary>
internal static class BridgeInjection
{
    public static string Inject(string html, string scriptUrl)
    {
        var tag = $"<script src=\"{scriptUrl}\"></script>";
        var head = IndexOfTag(html, "<head");
        if (head >= 0)
        {
            var close = html.IndexOf('>', head);
            return close < 0 ? tag + html : html.Insert(close + 1, tag);
        }
        var doctype = IndexOfTag(html, "<!doctype");
        if (doctype >= 0)
        {
            var close = html.IndexOf('>', doctype);
            return close < 0 ? tag + html : html.Insert(close + 1, tag);
        }
        return tag + html;
    }

    private static int IndexOfTag(string html, string start)
    {
        var index = html.IndexOf(start, StringComparison.OrdinalIgnoreCase);
        // "<header" is not "<head".
        while (index >= 0 && index + start.Length < html.Length && char.IsAsciiLetterOrDigit(html[index + start.Length]) && start != "<!doctype")
        {
            index = html.IndexOf(start, index + 1, StringComparison.OrdinalIgnoreCase);
        }
        return index;
    }
}
