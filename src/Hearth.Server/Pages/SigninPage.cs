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
        return new PageResult(Slices.Signin.Create(new SigninView(target, hint, SignsInBySelf: !auth.Value.Enabled)));
    }
}

/// <summary>What <c>Slices/Signin.cshtml</c> shows: where to go after, the hint, and whether the form sends itself (single-user mode).</summary>
public sealed record SigninView(string Next, string Hint, bool SignsInBySelf);
