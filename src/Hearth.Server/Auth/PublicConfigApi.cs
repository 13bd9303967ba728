using System.Text.Json.Nodes;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>
/// <c>GET /api/config</c>: what Open WebUI's clients read before and after signing in (0.11's shape). Anyone gets the
/// sign-in facts (<c>features.auth</c>, <c>enable_signup</c>, the version, <c>onboarding</c> before the first
/// account); a signed-in user also gets the feature switches and the default permissions. Features Hearth does not
/// have are reported off.
/// </summary>
internal static class PublicConfigApi
{
    public const string Name = "Hearth";
    public const string InvalidToken = "Invalid token";

    public static void MapPublicConfig(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/config", Get).AllowAnonymous().WithTags("Auth").WithName("GetPublicConfig").WithSummary("Public configuration and feature switches, as Open WebUI's web client reads them").Produces<JsonObject>().Answers(StatusCodes.Status401Unauthorized);

    public static async Task<IResult> Get(HttpContext http, RuntimeSettings settings, UserPermissions permissions, UserStore users,
        IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        var caller = CurrentUser.From(http.User);
        // A credential that was sent but not accepted is an error here too, as upstream answers it.
        if (caller is null && (http.Request.Headers.Authorization.Count > 0 || http.Request.Cookies.ContainsKey(HearthAuthentication.CookieName)))
        {
            return Errors.Unauthorized(InvalidToken);
        }
        var config = await settings.GetConfigAsync(cancellationToken);
        var anyUser = await users.AnyAsync(cancellationToken);
        var features = new JsonObject
        {
            ["auth"] = auth.Value.Enabled,
            ["auth_trusted_header"] = false,
            ["enable_signup_password_confirmation"] = false,
            ["enable_ldap"] = false,
            ["enable_signup"] = auth.Value.Enabled && (!anyUser || config.EnableSignup),
            ["enable_login_form"] = true,
            ["enable_websocket"] = false,
        };
        var body = new JsonObject();
        if (caller is null && !anyUser)
        {
            body["onboarding"] = true;
        }
        body["status"] = true;
        body["name"] = Name;
        body["version"] = CommonSetup.Version;
        body["default_locale"] = "";
        body["oauth"] = new JsonObject { ["providers"] = new JsonObject(), ["auto_redirect"] = false };
        body["features"] = features;
        if (caller is null)
        {
            return TypedResults.Json(body, JsonSettings.Wire);
        }
        foreach (var (key, value) in new (string, bool)[]
        {
            ("enable_api_keys", config.EnableApiKey), ("enable_password_change_form", true), ("enable_folders", config.EnableFolders),
            ("enable_channels", false), ("enable_notes", false), ("enable_web_search", false), ("enable_code_execution", false),
            ("enable_code_interpreter", true), ("enable_image_generation", false), ("enable_autocomplete_generation", false),
            ("enable_community_sharing", config.EnableCommunitySharing), ("enable_message_rating", config.EnableMessageRating),
            ("enable_user_webhooks", false), ("enable_user_status", false), ("enable_admin_export", auth.Value.EnableAdminExport),
            ("enable_admin_chat_access", auth.Value.EnableAdminChatAccess), ("enable_memories", false),
        })
        {
            features[key] = value;
        }
        if (caller.Role is Roles.User or Roles.Admin)
        {
            body["default_models"] = "";
            body["default_prompt_suggestions"] = new JsonArray();
            body["permissions"] = await permissions.OfAsync(caller.Id, cancellationToken);
        }
        return TypedResults.Json(body, JsonSettings.Wire);
    }
}
