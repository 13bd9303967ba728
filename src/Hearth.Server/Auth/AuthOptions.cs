using Hearth.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>Sign-in settings. Those an admin may change at run time are only first values: see <see cref="RuntimeSettings"/>.</summary>
internal sealed class AuthOptions
{
    /// <summary><c>WEBUI_AUTH</c>: false is single-user mode, every request acting as one built-in admin.</summary>
    public bool Enabled { get; set; } = true;
    public string? SecretKey { get; set; }
    /// <summary><c>ENABLE_SIGNUP</c>; null when not set, which closes sign-up after the first user.</summary>
    public bool? EnableSignup { get; set; }
    public string DefaultUserRole { get; set; } = Roles.Pending;
    /// <summary><c>ENABLE_API_KEYS</c> (Open WebUI's name) or Hearth's older <c>ENABLE_API_KEY</c>.</summary>
    public bool EnableApiKey { get; set; } = true;
    public bool EnableApiKeysEndpointRestrictions { get; set; }
    /// <summary><c>API_KEYS_ALLOWED_ENDPOINTS</c>: comma-separated paths an API key may call while restrictions are on.</summary>
    public string ApiKeysAllowedEndpoints { get; set; } = "";
    /// <summary><c>ENABLE_USER_STATUS</c>: off, the status routes answer 403.</summary>
    public bool EnableUserStatus { get; set; } = true;
    public bool EnablePasswordValidation { get; set; }
    public string PasswordValidationPattern { get; set; } = PasswordRules.DefaultPattern;
    public string PasswordValidationHint { get; set; } = "";
    /// <summary><c>ENABLE_FOLDERS</c>: off, every folder route answers 403.</summary>
    public bool EnableFolders { get; set; } = true;
    public string JwtExpiresIn { get; set; } = "4w";
    public bool EnableCommunitySharing { get; set; } = true;
    public bool EnableAdminChatAccess { get; set; } = true;
    public bool EnableAdminExport { get; set; } = true;
    /// <summary><c>PROFILE_IMAGE_MAX_DATA_URI_SIZE</c>: Open WebUI's name; it has no bound unless set, Hearth 256 KiB.</summary>
    public long ProfileImageMaxDataUriSize { get; set; } = 256 * 1024;

    public static void MapEnvironment(AuthOptions options, IConfiguration configuration)
    {
        options.Enabled = Setting.Bool(configuration, "WEBUI_AUTH") ?? options.Enabled;
        options.SecretKey = Setting.Raw(configuration, "WEBUI_SECRET_KEY") ?? options.SecretKey;
        options.EnableSignup = Setting.Bool(configuration, "ENABLE_SIGNUP") ?? options.EnableSignup;
        options.DefaultUserRole = Setting.Raw(configuration, "DEFAULT_USER_ROLE") ?? options.DefaultUserRole;
        options.EnableApiKey = Setting.Bool(configuration, "ENABLE_API_KEYS") ?? Setting.Bool(configuration, "ENABLE_API_KEY") ?? options.EnableApiKey;
        options.EnableApiKeysEndpointRestrictions = Setting.Bool(configuration, "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS")
            ?? options.EnableApiKeysEndpointRestrictions;
        options.ApiKeysAllowedEndpoints = Setting.Raw(configuration, "API_KEYS_ALLOWED_ENDPOINTS") ?? options.ApiKeysAllowedEndpoints;
        options.EnableFolders = Setting.Bool(configuration, "ENABLE_FOLDERS") ?? options.EnableFolders;
        options.EnableUserStatus = Setting.Bool(configuration, "ENABLE_USER_STATUS") ?? options.EnableUserStatus;
        options.EnablePasswordValidation = Setting.Bool(configuration, "ENABLE_PASSWORD_VALIDATION") ?? options.EnablePasswordValidation;
        options.PasswordValidationPattern = Setting.Raw(configuration, "PASSWORD_VALIDATION_REGEX_PATTERN") ?? options.PasswordValidationPattern;
        options.PasswordValidationHint = Setting.Raw(configuration, "PASSWORD_VALIDATION_HINT") ?? options.PasswordValidationHint;
        options.JwtExpiresIn = Setting.Raw(configuration, "JWT_EXPIRES_IN") ?? options.JwtExpiresIn;
        options.EnableCommunitySharing = Setting.Bool(configuration, "ENABLE_COMMUNITY_SHARING") ?? options.EnableCommunitySharing;
        options.EnableAdminChatAccess = Setting.Bool(configuration, "ENABLE_ADMIN_CHAT_ACCESS") ?? options.EnableAdminChatAccess;
        options.EnableAdminExport = Setting.Bool(configuration, "ENABLE_ADMIN_EXPORT") ?? options.EnableAdminExport;
        options.ProfileImageMaxDataUriSize = Setting.Long(configuration, "PROFILE_IMAGE_MAX_DATA_URI_SIZE", 1, int.MaxValue)
            ?? options.ProfileImageMaxDataUriSize;
    }

    internal sealed class Validator : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            var failures = new List<string>();
            if (!Roles.IsValid(options.DefaultUserRole))
            {
                failures.Add($"Setting DEFAULT_USER_ROLE has the value '{options.DefaultUserRole}', but it must be pending, user or admin.");
            }
            if (!Duration.TryParse(options.JwtExpiresIn, out _))
            {
                failures.Add($"Setting JWT_EXPIRES_IN has the value '{options.JwtExpiresIn}', but it must be -1 (never) or a duration such as 30m, 12h, 7d or 4w.");
            }
            try
            {
                PasswordRules.Compile(options.PasswordValidationPattern);
            }
            catch (ArgumentException e)
            {
                failures.Add($"Setting PASSWORD_VALIDATION_REGEX_PATTERN has the value '{options.PasswordValidationPattern}', but it is not a regular expression: {e.Message}");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
