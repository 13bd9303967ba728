using System.Text;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.Files;

/// <summary>
/// How a stored file goes out. It can never act as one of Hearth's pages: every answer carries
/// <c>nosniff</c> and a sandboxing CSP (a unique origin, no cookies, no access to Hearth's API or DOM);
/// previews may run scripts inside that sandbox, downloads may not.
/// </summary>
internal static class ArtifactResponses
{
    public const string PreviewPolicy = "sandbox allow-scripts";
    public const string DownloadPolicy = "sandbox";

    /// <summary>The frame side of window.storage (artifact storage's bridge), put into every HTML preview.</summary>
    public const string BridgeScript = "/static/hearth-storage-bridge.js";

    public static async Task<IResult> ServeAsync(HttpContext http, ArtifactFileRow row, Stream content, bool inline, CancellationToken cancellationToken)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = inline ? PreviewPolicy : DownloadPolicy;
        headers.CacheControl = "private, no-cache";
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
