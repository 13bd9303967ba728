using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Pages;

/// <summary>
/// POST <c>/signout</c>: the pages' Sign out button is a plain form posted here, so it works from the moment the
/// button shows, before (or without) any script: the session ends, the cookie goes, and the browser lands on
/// sign-in. (A script's click handler attached at DOMContentLoaded missed clicks made while the page's scripts
/// were still loading.)
/// </summary>
internal static class SignoutPage
{
    public static async Task<IResult> Post(HttpContext http, CredentialStore credentials, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The cookie goes even when the session's row cannot be deleted; the page then says so (and the audit sees a failure).
        if ((await AuthApi.Signout(http, credentials, loggers, cancellationToken)).Result is not Ok<StatusResponse>)
        {
            return new PageResult(Slices.Notice.Create(new NoticePage("Sign-out incomplete", ErrorMessages.SignoutIncomplete, "Sign in", "/signin", null)),
                StatusCodes.Status503ServiceUnavailable);
        }
        http.Response.Headers.Location = "/signin";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }
}
