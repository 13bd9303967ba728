using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary>The shell every page shares, and the headers that keep the pages to Hearth's own scripts.</summary>
internal static class PageLayout
{
    /// <summary>Only Hearth's own scripts and styles; frames only from Hearth (artifact previews, themselves sandboxed).</summary>
    public const string Policy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; frame-src 'self'; script-src 'self'; style-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    /// <summary>
    /// A full-window application page: no top bar (the page draws its own chrome) and one ES module as its entry,
    /// which imports the rest (modules are scripts from 'self', so the policy is the same).
    /// </summary>
    public static string RenderApp(string title, string body, string module) =>
        Head(title) + $"""
            <body class="app-body">
            {body}
            <script src="/assets/common.js"></script>
            <script type="module" src="{Html.E(module)}"></script>
            </body>
            </html>

            """;

    private static string Head(string title) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Html.E(title)} · Hearth</title>
        <link rel="icon" href="/assets/hearth.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/assets/hearth.css">
        </head>

        """;

    public static IResult Result(HttpContext http, string html, int status = StatusCodes.Status200OK)
    {
        Secure(http);
        return TypedResults.Text(html, "text/html; charset=utf-8", statusCode: status);
    }

    public static void Secure(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    /// <summary>A page-level refusal (missing or foreign conversation, pending account) that still looks like Hearth.</summary>
    public static IResult Message(CurrentUser? user, int status, string title, string text) =>
        new PageResult(Slices.Notice.Create(new NoticePage(title, text, "Back to the gallery", "/artifacts", user)), status);
}

/// <summary>What the shared page frame (<c>Slices/Layout.cshtml</c>) shows around a page.</summary>
public sealed record PageFrame(string Title, CurrentUser? User, bool SignOut, IReadOnlyList<string> Scripts);

/// <summary>A short notice with one way on (<c>Slices/Notice.cshtml</c>).</summary>
public sealed record NoticePage(string Title, string Text, string LinkText, string LinkHref, CurrentUser? User);
