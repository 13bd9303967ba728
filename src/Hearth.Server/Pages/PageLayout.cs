using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary>The shell every page shares, and the headers that keep the pages to Hearth's own scripts.</summary>
internal static class PageLayout
{
    /// <summary>Only Hearth's own scripts and styles; frames only from Hearth (artifact previews, themselves sandboxed).</summary>
    public const string Policy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; frame-src 'self'; script-src 'self'; style-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    /// <summary>The chat app's policy: the same, and its import map (<see cref="AppModules.ImportMap"/>), the one inline script it has.</summary>
    public static readonly string AppPolicy = Policy.Replace("script-src 'self';", $"script-src 'self' {AppModules.ImportMapSource};", StringComparison.Ordinal);

    public static IResult Result(HttpContext http, string html, int status = StatusCodes.Status200OK)
    {
        Secure(http);
        return TypedResults.Text(html, "text/html; charset=utf-8", statusCode: status);
    }

    public static void Secure(HttpContext http, string policy = Policy)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    /// <summary>A page-level refusal (missing or foreign conversation, pending account) that still looks like Hearth.</summary>
    public static IResult Message(CurrentUser? user, int status, string title, string text) =>
        new PageResult(Slices.Notice.Create(new NoticePage(title, text, "Back to the gallery", "/artifacts", user)), status);
}

/// <summary>
/// What the shared page frame (<c>Slices/Layout.cshtml</c>) shows around a page; <paramref name="Section"/> is the
/// top navigation's entry marked as the current page (<c>chats</c>, <c>artifacts</c>).
/// </summary>
public sealed record PageFrame(string Title, CurrentUser? User, bool SignOut, IReadOnlyList<string> Scripts, string? Section = null);

/// <summary>A short notice with one way on (<c>Slices/Notice.cshtml</c>).</summary>
public sealed record NoticePage(string Title, string Text, string LinkText, string LinkHref, CurrentUser? User);
