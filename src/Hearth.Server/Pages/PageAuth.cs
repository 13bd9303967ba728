using Hearth.Server.ArtifactFiles;
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

    /// <summary>
    /// The reader's grant to a conversation a page shows (its owner, an admin, a grantee, a share link's reader, or a
    /// visitor while public shares are on), or the answer to send instead: a pending account's notice, a stranger's way
    /// to sign in, or the not-found page <paramref name="notFound"/> makes (missing and foreign look the same). Without
    /// <paramref name="visitors"/>, a visitor who is not signed in is sent to sign in before anything is looked up.
    /// </summary>
    public static async Task<(ConversationGrant? Grant, IResult? Refusal)> ConversationAsync(HttpContext http, string conversationId,
        ArtifactFileAccess access, Func<CurrentUser?, IResult> notFound, CancellationToken cancellationToken, bool visitors = true)
    {
        var user = CurrentUser.From(http.User);
        if ((user is not null || !visitors) && Check(http).Refusal is { } refusal)
        {
            return (null, refusal);
        }
        if (await access.ResolveAsync(conversationId, user, write: false, cancellationToken) is { } grant)
        {
            return (grant, null);
        }
        // A visitor who is not signed in may be someone the conversation was shared with.
        return (null, user is null ? SignIn(http) : notFound(user));
    }

    /// <summary>To the sign-in page, which sends the reader back to this page.</summary>
    public static IResult SignIn(HttpContext http) =>
        TypedResults.Redirect("/signin?next=" + Html.U(http.Request.Path + http.Request.QueryString));
}
