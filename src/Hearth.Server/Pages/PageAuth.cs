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
            var back = http.Request.Path + http.Request.QueryString;
            return (null, TypedResults.Redirect("/signin?next=" + Html.U(back)));
        }
        if (user.Role is not (Roles.User or Roles.Admin))
        {
            return (user, PageLayout.Message(user, StatusCodes.Status403Forbidden, "Waiting for approval",
                "Your account is pending: an administrator has to activate it before you can see artifacts."));
        }
        return (user, null);
    }
}
