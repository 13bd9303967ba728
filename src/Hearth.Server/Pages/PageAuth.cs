using Hearth.Server.Auth;

namespace Hearth.Server.Pages;

/// <summary>Who is looking at a page: the cookie's (or header's) user, or the way to the sign-in page.</summary>
internal static class PageAuth
{
    /// <returns>The user, or the answer to send instead: a redirect to sign in, or a notice for a pending account.</returns>
    public static (CurrentUser? User, IResult? Refusal) Check(HttpContext http)
    {
        var user = CurrentUser.From(http.User);
        if (user is null)
        {
            return (null, SignIn(http));
        }
        if (user.Role is not (Roles.User or Roles.Admin))
        {
            return (user, PageLayout.Message(user, StatusCodes.Status403Forbidden, "Waiting for approval",
                "Your account is pending: an administrator has to activate it before you can see artifacts."));
        }
        return (user, null);
    }

    /// <summary>To the sign-in page, which sends the reader back to this page.</summary>
    public static IResult SignIn(HttpContext http) =>
        TypedResults.Redirect("/signin?next=" + Html.U(http.Request.Path + http.Request.QueryString));
}
