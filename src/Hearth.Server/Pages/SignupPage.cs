using Hearth.Server.Auth;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Pages;

/// <summary>
/// <c>/signup</c>: name, e-mail and password, posted by the sign-in script to the sign-up route (which sets the cookie).
/// On a fresh Hearth it creates the admin account, the first step the start-up banner points at; later it is open only
/// while an admin keeps sign-up open. <c>/</c> leads a browser to it while no account exists.
/// </summary>
internal static class SignupPage
{
    public static async Task<IResult> Show(HttpContext http, IOptions<AuthOptions> auth, UserStore users, RuntimeSettings settings,
        CancellationToken cancellationToken)
    {
        if (!auth.Value.Enabled || CurrentUser.From(http.User) is not null)
        {
            return TypedResults.Redirect("/");
        }
        var first = !await users.AnyAsync(cancellationToken);
        if (!first && !(await settings.GetConfigAsync(cancellationToken)).EnableSignup)
        {
            var closed = """
                <section class="notice"><h1>Sign-up is closed</h1><p>An admin adds accounts on this Hearth.</p>
                <p><a class="button" href="/signin">Sign in</a></p></section>
                """;
            return PageLayout.Result(http, PageLayout.Render("Sign up", closed, null, false, []), StatusCodes.Status403Forbidden);
        }
        var (title, hint) = first
            ? ("Create the admin account", "This Hearth has no accounts yet: the first one administers it.")
            : ("Create an account", "An admin may have to approve it before you can see anything.");
        var body = $"""
            <section class="signin">
              <form id="signup" class="card-panel" data-endpoint="/api/v1/auths/signup" data-next="/" novalidate>
                <h1>{Html.E(title)}</h1>
                <p class="hint">{Html.E(hint)}</p>
                <label>Name <input type="text" name="name" autocomplete="name" required autofocus></label>
                <label>E-mail <input type="email" name="email" autocomplete="username" required></label>
                <label>Password <input type="password" name="password" autocomplete="new-password" required></label>
                <p class="error" role="alert" hidden></p>
                <button type="submit" class="button primary">Create account</button>
                <p class="hint">Have an account? <a href="/signin">Sign in</a></p>
              </form>
            </section>
            """;
        return PageLayout.Page(http, "Sign up", body, null, signOut: false, "/assets/signin.js");
    }
}
