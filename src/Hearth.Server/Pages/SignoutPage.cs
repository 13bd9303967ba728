using Hearth.Server.Auth;

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
        // The cookie goes even when the session's row cannot be deleted (the API's answer would say so; a page cannot).
        await AuthApi.Signout(http, credentials, loggers, cancellationToken);
        http.Response.Headers.Location = "/signin";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }
}
