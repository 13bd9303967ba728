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
            return new PageResult(Slices.Notice.Create(new NoticePage("Sign-up is closed", "An admin adds accounts on this Hearth.", "Sign in", "/signin", null)),
                StatusCodes.Status403Forbidden);
        }
        var (title, hint) = first
            ? ("Create the admin account", "This Hearth has no accounts yet: the first one administers it.")
            : ("Create an account", "An admin may have to approve it before you can see anything.");
        return new PageResult(Slices.Signup.Create(new SignupView(title, hint)));
    }
}

/// <summary>What <c>Slices/Signup.cshtml</c> shows: the first account's heading and hint, or a later one's.</summary>
public sealed record SignupView(string Heading, string Hint);
