namespace Hearth.Server.Common;

/// <summary>
/// Every client-visible error string in one place. Clients from the Open WebUI ecosystem match on the
/// upstream spellings, so those are kept exactly (chats-api.md section 1.3).
/// </summary>
internal static class ErrorMessages
{
    public const string Default = "Something went wrong :/";
    public static string DefaultWith(string reason) => $"[ERROR: {reason}]";

    public const string AccessProhibited =
        "You do not have permission to access this resource. Please contact your administrator for assistance.";
    public const string ActionProhibited = "The requested action has been restricted as a security measure.";
    public const string NotFound = "We could not find what you're looking for :/";
    public const string InvalidToken = "Your session has expired or the token is invalid. Please sign in again.";
    public const string Unauthorized = "401 Unauthorized";
    public const string NotAuthenticated = "Not authenticated";
    public const string ApiKeyNotAllowed = "Use of API key is not enabled in the environment.";

    public const string EmailTaken =
        "Uh-oh! This email is already registered. Sign in with your existing account or choose another email to start anew.";
    public const string InvalidEmailFormat =
        "The email format you entered is invalid. Please double-check and make sure you're using a valid email address (e.g., yourname@example.com).";
    public const string InvalidCredentials =
        "The email or password provided is incorrect. Please check for typos and try logging in again.";
    public const string InvalidPassword = "The password provided is incorrect. Please check for typos and try again.";
    public const string EmptyPassword = "The password must not be empty.";
    public const string ApiKeyNotFound = "API key not found";
    public const string InvalidRole = "Role must be one of: pending, user, admin.";
    public const string CannotDeleteSelf = "You cannot delete your own account.";
    public const string CannotDeleteFirstAdmin = "The first admin account cannot be deleted.";
    public const string CannotDemoteFirstAdmin = "The first admin's role cannot be changed by another user.";

    public const string MethodNotAllowed = "Method Not Allowed";
    public const string RouteNotFound = "Not Found";
    public const string UnsupportedMediaType = "Unsupported Media Type: send the body as application/json.";
    public static string BodyTooLarge(long limit) =>
        $"Request body is larger than the limit of {limit} bytes (setting MAX_REQUEST_BODY_SIZE).";
    public static string BadOrdering(string orderBy, string direction) =>
        $"Cannot order by '{orderBy}' '{direction}': order_by must name a column and direction must be asc or desc.";

    // Artifact files (artifact-files.md).
    public static string ArtifactTooLarge(long limit) =>
        $"The file is larger than the limit of {limit} bytes per artifact (setting ARTIFACT_MAX_FILE_SIZE).";
    public static string ConversationArtifactsFull(long limit) =>
        $"The conversation's artifacts would exceed the limit of {limit} bytes (setting ARTIFACT_MAX_CONVERSATION_SIZE).";
    public static string UserArtifactsFull(long limit) =>
        $"Your artifacts would exceed the limit of {limit} bytes per user (setting ARTIFACT_MAX_USER_SIZE).";
    public const string ArtifactFileMissing = "The artifact's file is missing from storage; run rebuild-artifacts to reconcile.";
}
