using System.Text.Encodings.Web;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>
/// Reads a bearer token, an <c>sk-</c> API key, or the <c>token</c> cookie, and answers failures exactly as
/// Open WebUI does (chats-api.md 1.2): no credentials 403 (401 under <c>WEBUI_AUTH=false</c>, as 0.11 answers),
/// a bad or revoked token 401, a role that may not use the route 401 ACCESS_PROHIBITED.
/// </summary>
internal sealed class HearthAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    TokenService tokens,
    CredentialStore credentials,
    RuntimeSettings settings,
    UserPermissions permissions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Hearth";
    public const string CookieName = "token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return auth.Value.Enabled ? AuthenticateResult.NoResult() : Failure(401, ErrorMessages.NotAuthenticated);
        }
        if (token.StartsWith(Secrets.ApiKeyPrefix, StringComparison.Ordinal))
        {
            var config = await settings.GetConfigAsync(Context.RequestAborted);
            if (!config.EnableApiKey || !config.ApiKeyMayCall(Request.Path.Value ?? "/"))
            {
                return Failure(StatusCodes.Status403Forbidden, ErrorMessages.ApiKeyNotAllowed);
            }
            var owner = await credentials.FindByApiKeyAsync(Secrets.HashApiKey(token), Context.RequestAborted);
            if (owner is null)
            {
                return Failure(401, ErrorMessages.InvalidToken);
            }
            // A key works only while its owner has the features.api_keys permission (admins always).
            return await permissions.GrantsAsync(owner.Id, owner.Role, "features.api_keys", Context.RequestAborted)
                ? Success(owner, null, token)
                : Failure(StatusCodes.Status403Forbidden, ErrorMessages.ApiKeyNotAllowed);
        }
        if (await tokens.ValidateAsync(token) is not { } claims)
        {
            return Failure(401, ErrorMessages.Unauthorized);
        }
        var user = await credentials.FindBySessionAsync(claims.UserId, claims.SessionId, Context.RequestAborted);
        return user is null ? Failure(401, ErrorMessages.InvalidToken) : Success(user, claims.SessionId, token);
    }

    private string? ReadToken()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var value = header["Bearer ".Length..].Trim();
            return value.Length > 0 ? value : null;
        }
        return Request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrEmpty(cookie) ? cookie : null;
    }

    private static AuthenticateResult Success(UserRow user, string? sessionId, string? token) =>
        AuthenticateResult.Success(new AuthenticationTicket(CurrentUser.Principal(user, sessionId, token), SchemeName));

    private static AuthenticateResult Failure(int status, string detail) =>
        AuthenticateResult.Fail(new RefusedCredentials(status, detail));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var (status, detail) = result.Failure is RefusedCredentials refused
            ? (refused.Status, refused.Message)
            : (StatusCodes.Status403Forbidden, ErrorMessages.NotAuthenticated);
        await Write(status, detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Write(StatusCodes.Status401Unauthorized, ErrorMessages.AccessProhibited);

    private async Task Write(int status, string detail)
    {
        Response.StatusCode = status;
        await Response.WriteAsJsonAsync(new ErrorBody(detail), JsonSettings.Wire, Context.RequestAborted);
    }

    private sealed class RefusedCredentials(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
