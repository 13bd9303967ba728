using Hearth.Server.Auth;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Pages;

/// <summary>
/// <c>/signin</c>: e-mail and password, posted by a small script to the existing sign-in route, which sets the cookie;
/// a link leads to <see cref="SignupPage"/>, which says itself when sign-up is closed.
/// </summary>
internal static class SigninPage
{
    public static IResult Show(HttpContext http, IOptions<AuthOptions> auth, string? next = null)
    {
        var target = Html.LocalPath(next);
        // A signed-in browser has nothing to do here. (With WEBUI_AUTH=false any credentials sign in as the built-in admin.)
        if (CurrentUser.From(http.User) is not null)
        {
            return TypedResults.Redirect(target);
        }
        var hint = auth.Value.Enabled
            ? "Your chats with models, and the files they make."
            : "Sign-in is switched off on this server (WEBUI_AUTH=false): signing you in…";
        var body = $"""
            <section class="signin">
              <form id="signin" class="card-panel" data-endpoint="/api/v1/auths/signin" data-next="{Html.E(target)}"{(auth.Value.Enabled ? "" : " data-auto=\"true\"")} novalidate>
                <h1>Sign in to Hearth</h1>
                <p class="hint">{Html.E(hint)}</p>
                <label>E-mail <input type="email" name="email" autocomplete="username" required autofocus></label>
                <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
                <p class="error" role="alert" hidden></p>
                <button type="submit" class="button primary">Sign in</button>
                <p class="hint">No account yet? <a href="/signup">Create one</a></p>
              </form>
            </section>
            """;
        return PageLayout.Page(http, "Sign in", body, null, signOut: false, "/assets/signin.js");
    }
}
