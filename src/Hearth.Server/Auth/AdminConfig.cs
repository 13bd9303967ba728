using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Server.Auth;

/// <summary>GET <c>/api/v1/auths/admin/config</c>, in Open WebUI's upper-case names.</summary>
internal sealed record AdminConfig(
    [property: JsonPropertyName("SHOW_ADMIN_DETAILS")] bool ShowAdminDetails,
    [property: JsonPropertyName("WEBUI_URL")] string WebuiUrl,
    [property: JsonPropertyName("ENABLE_SIGNUP")] bool EnableSignup,
    [property: JsonPropertyName("ENABLE_API_KEY")] bool EnableApiKey,
    [property: JsonPropertyName("DEFAULT_USER_ROLE")] string DefaultUserRole,
    [property: JsonPropertyName("JWT_EXPIRES_IN")] string JwtExpiresIn,
    [property: JsonPropertyName("ENABLE_COMMUNITY_SHARING")] bool EnableCommunitySharing,
    [property: JsonPropertyName("ENABLE_MESSAGE_RATING")] bool EnableMessageRating,
    [property: JsonPropertyName("ENABLE_PUBLIC_SHARES")] bool EnablePublicShares,
    [property: JsonPropertyName("ENABLE_API_KEYS")] bool EnableApiKeys,
    [property: JsonPropertyName("ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS")] bool EnableApiKeysEndpointRestrictions,
    [property: JsonPropertyName("API_KEYS_ALLOWED_ENDPOINTS")] string ApiKeysAllowedEndpoints,
    [property: JsonPropertyName("ENABLE_FOLDERS")] bool EnableFolders)
{
    /// <summary>
    /// Whether an API key may call <paramref name="path"/>: always, unless endpoint restrictions are on, then only
    /// the listed paths (comma-separated) and what lies below them, as Open WebUI matches them.
    /// </summary>
    public bool ApiKeyMayCall(string path) =>
        !EnableApiKeysEndpointRestrictions
        || ApiKeysAllowedEndpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(allowed => path == allowed || path.StartsWith(allowed.TrimEnd('/') + "/", StringComparison.Ordinal));

    public static AdminConfig From(AuthOptions env, IReadOnlyDictionary<string, string> stored) => new(
        RuntimeSettings.ReadBool(stored, "SHOW_ADMIN_DETAILS", true),
        RuntimeSettings.ReadString(stored, "WEBUI_URL", ""),
        RuntimeSettings.ReadBool(stored, "ENABLE_SIGNUP", env.EnableSignup ?? true),
        RuntimeSettings.ReadBool(stored, "ENABLE_API_KEY", env.EnableApiKey),
        RuntimeSettings.ReadString(stored, "DEFAULT_USER_ROLE", env.DefaultUserRole),
        RuntimeSettings.ReadString(stored, "JWT_EXPIRES_IN", env.JwtExpiresIn),
        RuntimeSettings.ReadBool(stored, "ENABLE_COMMUNITY_SHARING", env.EnableCommunitySharing),
        RuntimeSettings.ReadBool(stored, "ENABLE_MESSAGE_RATING", true),
        RuntimeSettings.ReadBool(stored, "ENABLE_PUBLIC_SHARES", false),
        RuntimeSettings.ReadBool(stored, "ENABLE_API_KEY", env.EnableApiKey),
        RuntimeSettings.ReadBool(stored, "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", env.EnableApiKeysEndpointRestrictions),
        RuntimeSettings.ReadString(stored, "API_KEYS_ALLOWED_ENDPOINTS", env.ApiKeysAllowedEndpoints),
        RuntimeSettings.ReadBool(stored, "ENABLE_FOLDERS", env.EnableFolders));
}

/// <summary>POST <c>/api/v1/auths/admin/config</c>: every field optional, a missing one keeps its value.</summary>
internal sealed record AdminConfigForm(
    [property: JsonPropertyName("SHOW_ADMIN_DETAILS")] bool? ShowAdminDetails = null,
    [property: JsonPropertyName("WEBUI_URL")] string? WebuiUrl = null,
    [property: JsonPropertyName("ENABLE_SIGNUP")] bool? EnableSignup = null,
    [property: JsonPropertyName("ENABLE_API_KEY")] bool? EnableApiKey = null,
    [property: JsonPropertyName("DEFAULT_USER_ROLE")] string? DefaultUserRole = null,
    [property: JsonPropertyName("JWT_EXPIRES_IN")] string? JwtExpiresIn = null,
    [property: JsonPropertyName("ENABLE_COMMUNITY_SHARING")] bool? EnableCommunitySharing = null,
    [property: JsonPropertyName("ENABLE_MESSAGE_RATING")] bool? EnableMessageRating = null,
    [property: JsonPropertyName("ENABLE_PUBLIC_SHARES")] bool? EnablePublicShares = null,
    [property: JsonPropertyName("ENABLE_API_KEYS")] bool? EnableApiKeys = null,
    [property: JsonPropertyName("ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS")] bool? EnableApiKeysEndpointRestrictions = null,
    [property: JsonPropertyName("API_KEYS_ALLOWED_ENDPOINTS")] string? ApiKeysAllowedEndpoints = null,
    [property: JsonPropertyName("ENABLE_FOLDERS")] bool? EnableFolders = null)
{
    /// <returns>The name of the first invalid field, or null.</returns>
    public string? Invalid() =>
        DefaultUserRole is not null && !Roles.IsValid(DefaultUserRole) ? "DEFAULT_USER_ROLE" : null;

    public Dictionary<string, string> ToStoredValues()
    {
        var values = new Dictionary<string, string>();
        void Put<T>(string key, T? value)
        {
            if (value is not null)
            {
                values[key] = JsonSerializer.Serialize(value);
            }
        }
        Put("SHOW_ADMIN_DETAILS", ShowAdminDetails);
        Put("WEBUI_URL", WebuiUrl);
        Put("ENABLE_SIGNUP", EnableSignup);
        // Upstream's plural name wins over Hearth's older singular one; both name one switch.
        Put("ENABLE_API_KEY", EnableApiKeys ?? EnableApiKey);
        Put("DEFAULT_USER_ROLE", DefaultUserRole);
        // Open WebUI 0.11 keeps the old lifetime when the new one cannot be read, and answers 200.
        Put("JWT_EXPIRES_IN", JwtExpiresIn is not null && Duration.TryParse(JwtExpiresIn, out _) ? JwtExpiresIn : null);
        Put("ENABLE_COMMUNITY_SHARING", EnableCommunitySharing);
        Put("ENABLE_MESSAGE_RATING", EnableMessageRating);
        Put("ENABLE_PUBLIC_SHARES", EnablePublicShares);
        Put("ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", EnableApiKeysEndpointRestrictions);
        Put("API_KEYS_ALLOWED_ENDPOINTS", ApiKeysAllowedEndpoints);
        Put("ENABLE_FOLDERS", EnableFolders);
        return values;
    }
}
