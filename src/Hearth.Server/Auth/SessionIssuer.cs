using System.Text.RegularExpressions;

namespace Hearth.Server.Auth;

/// <summary>Opens a session for a user: a session row, a signed token naming it, and optionally the browser cookie.</summary>
internal sealed partial class SessionIssuer(CredentialStore credentials, TokenService tokens, RuntimeSettings settings,
    UserPermissions permissions, TimeProvider clock)
{
    /// <returns>Null when the account was deleted after it was read (a sign-in racing an admin's deletion of it).</returns>
    public async Task<SessionUserResponse?> IssueAsync(HttpContext http, UserRow user, bool setCookie, CancellationToken cancellationToken)
    {
        var config = await settings.GetConfigAsync(cancellationToken);
        // The stored setting was checked when it was set; one that does not read means no expiry, as "-1" does.
        _ = Duration.TryParse(config.JwtExpiresIn, out var lifetime);
        var expiresAt = lifetime is null ? (DateTimeOffset?)null : clock.GetUtcNow() + lifetime.Value;
        var sessionId = Guid.NewGuid().ToString();
        if (!await credentials.CreateSessionAsync(user.Id, sessionId, expiresAt?.ToUnixTimeSeconds(), cancellationToken))
        {
            return null;
        }
        var token = tokens.Create(user.Id, sessionId, expiresAt);
        if (setCookie)
        {
            http.Response.Cookies.Append(HearthAuthentication.CookieName, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                Path = "/",
                Expires = expiresAt,
            });
        }
        return await DescribeAsync(user, token, expiresAt?.ToUnixTimeSeconds(), cancellationToken);
    }

    public async Task<SessionUserResponse> DescribeAsync(UserRow user, string? token, long? expiresAt, CancellationToken cancellationToken) =>
        new(token, "Bearer", expiresAt, user.Id, user.Email, user.Name, user.Role, user.ProfileImageUrl,
            await permissions.OfAsync(user.Id, cancellationToken));

    /// <summary>Open WebUI's rule: anything@localhost, or something@something.something.</summary>
    public static bool IsValidEmail(string email) =>
        email.EndsWith("@localhost", StringComparison.Ordinal) ? email.Length > "@localhost".Length : EmailShape().IsMatch(email);

    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();
}
