using System.Security.Claims;

namespace Hearth.Server.Auth;

/// <summary>The signed-in caller, bound straight into handlers as a parameter.</summary>
/// <remarks>Public only because the pages' Razor slices, whose generated proxies are public, take it in their models.</remarks>
public sealed record CurrentUser(string Id, string Name, string Email, string Role, string ProfileImageUrl, string? SessionId, string? Token)
{
    public bool IsAdmin => Role == Roles.Admin;

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null
            ? null
            : new CurrentUser(id,
                principal.FindFirstValue(ClaimTypes.Name) ?? "",
                principal.FindFirstValue(ClaimTypes.Email) ?? "",
                principal.FindFirstValue(ClaimTypes.Role) ?? Roles.Pending,
                principal.FindFirstValue(ProfileImageClaim) ?? "",
                principal.FindFirstValue(SessionClaim),
                principal.FindFirstValue(TokenClaim));
    }

    public const string ProfileImageClaim = "profile_image_url";
    public const string SessionClaim = "sid";
    public const string TokenClaim = "token";

    internal static ClaimsPrincipal Principal(UserRow user, string? sessionId, string? token)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
            new(ProfileImageClaim, user.ProfileImageUrl),
        };
        if (sessionId is not null)
        {
            claims.Add(new Claim(SessionClaim, sessionId));
        }
        if (token is not null)
        {
            claims.Add(new Claim(TokenClaim, token));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, HearthAuthentication.SchemeName));
    }
}
