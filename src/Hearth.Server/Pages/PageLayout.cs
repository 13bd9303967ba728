using System.Text;
using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary>The shell every page shares, and the headers that keep the pages to Hearth's own scripts.</summary>
internal static class PageLayout
{
    /// <summary>Only Hearth's own scripts and styles; frames only from Hearth (artifact previews, themselves sandboxed).</summary>
    public const string Policy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; frame-src 'self'; script-src 'self'; style-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    public static IResult Page(HttpContext http, string title, string body, CurrentUser? user, bool signOut, params string[] scripts) =>
        Result(http, Render(title, body, user, signOut, scripts));

    public static string Render(string title, string body, CurrentUser? user, bool signOut, IEnumerable<string> scripts)
    {
        var html = new StringBuilder(Head(title));
        html.Append("""
            <body>
            <header class="topbar">
              <a class="brand" href="/"><img src="/assets/hearth.svg" alt="" width="22" height="22"> Hearth</a>
            """);
        if (user is not null)
        {
            html.Append($"""
                  <nav class="topnav"><a href="/">Chats</a> <a href="/artifacts">Artifacts</a></nav>
                  <div class="account"><span class="who" title="{Html.E(user.Email)}">{Html.E(user.Name)}</span>
                """);
            if (signOut)
            {
                html.Append("<button type=\"button\" class=\"link\" id=\"signout\">Sign out</button>");
            }
            html.Append("</div>");
        }
        html.Append("</header>\n<main>").Append(body).Append("</main>\n");
        html.Append("<script src=\"/assets/common.js\"></script>\n");
        foreach (var script in scripts)
        {
            html.Append($"<script src=\"{Html.E(script)}\"></script>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

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
    public static IResult Message(HttpContext http, CurrentUser? user, int status, string title, string text)
    {
        var body = $"""<section class="notice"><h1>{Html.E(title)}</h1><p>{Html.E(text)}</p><p><a class="button" href="/artifacts">Back to the gallery</a></p></section>""";
        return Result(http, Render(title, body, user, user is not null, []), status);
    }
}
