namespace Hearth.Server.Common;

/// <summary>
/// Every client-visible error string in one place. Clients from the Open WebUI ecosystem match on the
/// upstream spellings, so those are kept exactly (chats-api.md section 1.3).
/// </summary>
internal static class ErrorMessages
{
    public const string Default = "Something went wrong :/";
    public const string TagNamedNone = "Tag name cannot be 'None'";
    public const string TagNameEmpty = "Tag name cannot be empty";
    public const string FolderNameEmpty = "Folder name cannot be empty";

    public static string DefaultWith(string reason) => $"[ERROR: {reason}]";

    public const string AccessProhibited =
        "You do not have permission to access this resource. Please contact your administrator for assistance.";
    public static string ToolNotPermitted(string tool, string permission) =>
        $"You may not use the tool {tool}: it needs the permission {permission}, which an admin can grant under the default user permissions.";
    public const string ActionProhibited = "The requested action has been restricted as a security measure.";
    public const string NotFound = "We could not find what you're looking for :/";
    public const string DatabaseUnavailable = "The database does not answer.";
    public const string SignoutIncomplete = "This browser is signed out, but the session could not be ended on the server (the database did not answer); sign out again to end it.";
    public const string InvalidToken = "Your session has expired or the token is invalid. Please sign in again.";
    public const string Unauthorized = "401 Unauthorized";
    public const string NotAuthenticated = "Not authenticated";
    public const string ExistingUsers =
        "You can't turn off authentication because there are existing users. If you want to disable WEBUI_AUTH, make sure your web interface doesn't have any existing users and is a fresh installation.";
    public const string ApiKeyNotAllowed = "Use of API key is not enabled in the environment.";
    public const string ApiKeyCreationNotAllowed = "API key creation is not allowed in the environment.";

    public const string EmailTaken =
        "Uh-oh! This email is already registered. Sign in with your existing account or choose another email to start anew.";
    public const string InvalidEmailFormat =
        "The email format you entered is invalid. Please double-check and make sure you're using a valid email address (e.g., yourname@example.com).";
    public const string InvalidCredentials =
        "The email or password provided is incorrect. Please check for typos and try logging in again.";
    public const string InvalidPassword = "The password provided is incorrect. Please check for typos and try again.";
    public const string EmptyPassword = "The password must not be empty.";
    public const string RateLimitExceeded = "API rate limit exceeded";
    public const string PasswordTooLong =
        "Uh-oh! The password you entered is too long. Please make sure your password is less than 72 bytes long.";
    public const string ProfileImageRefused =
        "Value error, Invalid profile image URL: must be empty, /user.png, or a data:image URI (png/jpeg/gif/webp, base64).";
    public static string ProfileImageTooLarge(long length, long limit) =>
        $"Value error, Invalid profile image URL: it is {length} characters, over the limit of {limit} (setting PROFILE_IMAGE_MAX_DATA_URI_SIZE).";
    public const string ApiKeyNotFound = "API key not found";
    public const string InvalidRole = "Role must be one of: pending, user, admin.";
    public const string CannotDeleteSelf = "You cannot delete your own account.";
    public const string CannotDeleteFirstAdmin = "The first admin account cannot be deleted.";
    public const string LastAdminCannotLeave =
        "You are the only admin: make another user an admin before deleting your account.";
    public const string LastAdminStays =
        "This is the only admin left: make another user an admin before changing their role or deleting them.";
    public const string CannotDemoteFirstAdmin = "The first admin stays an admin: their role cannot be changed.";
    public const string FirstAdminOnlyByThemself = "Only the first admin can change the first admin's account.";

    public static string UriTooLong(int length, int limit) =>
        $"URI Too Long: the request's path and query are {length} bytes, over the limit of {limit}.";
    public static string HeadersTooLarge(int length, int limit) =>
        $"Request Header Fields Too Large: the request's headers are {length} bytes, over the limit of {limit}.";
    public const string MalformedMultipart =
        "The upload is not a well-formed multipart form: a part's headers cannot be read (a file name cannot hold a line break).";
    public const string NulInString = "Value error, the text holds U+0000 (NUL), which no string may hold";
    public const string MethodNotAllowed = "Method Not Allowed";
    public const string RouteNotFound = "Not Found";
    public const string MayNotShareWithUsers =
        "You may not share with single users (the access_grants.allow_users permission), so you cannot search for them.";
    public const string AssetChanged =
        "This file belongs to an earlier version of Hearth, which has been upgraded since the page was opened: reload the page.";
    public const string UnsupportedMediaType = "Unsupported Media Type: send the body as application/json.";
    public static string BodyTooLarge(long limit) =>
        $"Request body is larger than the limit of {limit} bytes (setting MAX_REQUEST_BODY_SIZE).";
    public static string BadOrdering(string orderBy, string direction) =>
        $"Cannot order by '{orderBy}' '{direction}': order_by must name a column and direction must be asc or desc.";

    // Completions and models (completions.md). "Model not found" is Open WebUI's exact string.
    public const string ModelNotFound = "Model not found";
    public const string ModelIdTaken = "Uh-oh! This id is already registered. Please choose another id string.";
    public const string ModelIdTooLong = "The model id is too long. Please make sure your model id is less than 256 characters long.";
    public const string ModelEntryNeedsBase =
        "Only admins may publish a connection's own model: give base_model_id, the id of a model you may use.";
    public const string NoModelConnection =
        "No model server is configured. Set OPENAI_API_BASE_URLS (and OPENAI_API_KEYS) or OLLAMA_BASE_URLS and restart Hearth.";
    /// <summary>Open WebUI's answer (with status 200) to the title task while titles are turned off.</summary>
    public const string TitleGenerationDisabled = "Title generation is disabled";
    public static string TitleTaskTimedOut(TimeSpan limit) =>
        $"The model did not answer the title task within {(int)limit.TotalSeconds} seconds; try again, or set TASK_MODEL_EXTERNAL (TASK_MODEL for Ollama) to a faster model.";
    public static string ModelServerDown(string model, string connections) =>
        $"Model '{model}' is not listed by any model server that answered, and {connections}: it may be served there. Try again when it is back.";

    // Artifact files (artifact-files.md).
    public static string ArtifactTooLarge(long limit) =>
        $"The file is larger than the limit of {limit} bytes per artifact (setting ARTIFACT_MAX_FILE_SIZE).";
    public static string ConversationArtifactsFull(long limit) =>
        $"The conversation's artifacts would exceed the limit of {limit} bytes (setting ARTIFACT_MAX_CONVERSATION_SIZE).";
    public static string UserArtifactsFull(long limit) =>
        $"Your artifacts would exceed the limit of {limit} bytes per user (setting ARTIFACT_MAX_USER_SIZE).";
    public const string ArtifactFileMissing = "The artifact's file is missing from storage; run rebuild-artifacts to reconcile.";

    // Artifact storage (artifacts-kv.md). "Artifact not found" is the contract's exact string; the 422
    // messages follow pydantic's spelling ("Value error, ...", "Input should be ...").
    public const string ArtifactNotFound = "Artifact not found";
    public const string ArtifactScopeInvalid = "Input should be 'personal' or 'shared'";
    public const string ArtifactKeyInvalid =
        "Value error, key must be 1 to 200 characters with no whitespace, control characters, quotes or backslashes";
    public const string ArtifactValueNull = "Value error, value must be a JSON value other than null";
    public const string ArtifactVersionNegative = "Input should be greater than or equal to 0";
    public const string ArtifactKeyAndPrefix = "Value error, give key or prefix, not both";
    public const string ArtifactCursorInvalid = "Value error, cursor must be a value the X-Next-Cursor header gave";
    public const string ArtifactFlagInvalid = "Input should be a valid boolean, unable to interpret input";
    public const string ArtifactLimitTooSmall = "Input should be greater than or equal to 1";
    public static string ArtifactValueTooLarge(long size, long limit) =>
        $"The artifact value is {size} bytes, over the limit of {limit} bytes per value (setting ARTIFACT_MAX_VALUE_BYTES).";
    public static string ArtifactUserQuota(long total, long limit) =>
        $"This write would bring your personal artifacts to {total} bytes, over the limit of {limit} bytes per user (setting ARTIFACT_MAX_USER_BYTES).";
    public static string ArtifactSharedQuota(long total, long limit) =>
        $"This write would bring the shared artifacts to {total} bytes, over the limit of {limit} bytes for the shared scope (setting ARTIFACT_MAX_SHARED_BYTES).";
    public const string ArtifactPreconditionFailed = "The artifact's version does not match the If-Match, If-None-Match or expected_version precondition.";
    public const string ArtifactPatchMediaType =
        "Unsupported Media Type: send the patch as application/merge-patch+json (RFC 7386) or application/json-patch+json (RFC 6902).";
    public static string ArtifactPatchConflict(string reason) => $"The patch does not apply to the stored value: {reason}";
    public static string ArtifactPatchStopped(int index, string reason) => $"The patch stopped at operation {index}: {reason}";
    public const string ArtifactPatchedToNull = "The patch would make the value null; delete the artifact instead.";
    public const string ArtifactStoredValueUnpatchable = "The stored value cannot be patched: it repeats a member name within one object.";
    public const string ArtifactPatchNotJson = "JSON decode error: the patch is not valid JSON";
    public static string ArtifactPatchInvalid(string reason) => $"Value error, {reason}";
    public static string ArtifactBatchSize(int max) =>
        $"Value error, operations must hold 1 to {max} operations (setting ARTIFACT_MAX_BATCH_OPERATIONS)";
    public const string ArtifactBatchOpInvalid = "Input should be 'store', 'delete' or 'patch'";
    public const string ArtifactBatchPatchMissing =
        "Value error, a patch operation needs exactly one of patch (a JSON Patch array) or merge_patch (a JSON Merge Patch)";
    public static string ArtifactBatchFailed(int index, string reason) => $"Operation {index} failed, nothing was written: {reason}";
    public const string ArtifactWatchUnavailable = "The artifact change feed is not available right now; try again shortly.";
    public const string EventsUnavailable = "Live events are not available right now (the database connection that carries them is being restored); try again shortly.";

    // JSON Patch (RFC 6902) documents that are malformed (422) or do not fit the stored value (409).
    public const string PatchNotAnArray = "A JSON Patch document must be an array of operations.";
    public const string PatchOperationNotObject = "Each operation must be an object.";
    public const string PatchOpUnknown = "op must be one of add, remove, replace, move, copy, test.";
    public const string PatchPathInvalid = "path must be a JSON Pointer string such as \"\" or \"/a/0\".";
    public static string PatchFromMissing(string op) => $"{op} needs from, a JSON Pointer string.";
    public static string PatchValueMissing(string op) => $"{op} needs a value.";
    public static string PatchParentMissing(string op, string path) => $"{op}: the parent of {path} does not exist.";
    public static string PatchIndexOutOfRange(string path) => $"add: {path} is not an index from 0 to the array's length, or \"-\".";
    public static string PatchParentNotContainer(string path) => $"add: the parent of {path} is not an object or an array.";
    public const string PatchRemoveRoot = "remove: the whole document cannot be removed.";
    public static string PatchPathMissing(string op, string path) => $"{op}: {path} does not exist.";
    public static string PatchMoveIntoChild(string from, string path) => $"move: {from} cannot be moved into its own child {path}.";
    public static string PatchFromPathMissing(string op, string from) => $"{op}: {from} (from) does not exist.";
    public static string PatchTooManyOperations(int max) => $"a JSON Patch holds at most {max} operations (setting ARTIFACT_MAX_PATCH_OPERATIONS).";
    public static string PatchTooDeep(string op, string path, int max) => $"{op}: the value at {path} would nest the document deeper than {max} levels.";
    public static string PatchGrowsTooLarge(long size, long limit) =>
        $"it would make the value {size} bytes, over the limit of {limit} bytes per value (setting ARTIFACT_MAX_VALUE_BYTES).";
    public static string PatchMovesTooMuch(long limit, int times) =>
        $"the patch would move more than {limit} bytes in all ({times} times the setting ARTIFACT_MAX_VALUE_BYTES); send smaller patches.";
    public static string PatchTestFailed(string path) => $"test: the value at {path} is not the expected value.";

    // FastAPI's wording for numbers and dates out of range, used in Hearth's own 422 issues.
    public static string AtLeast(int min) => $"Input should be greater than or equal to {min}";
    public static string AtMost(int max) => $"Input should be less than or equal to {max}";
    public static string Between(int min, int max) => $"Input should be greater than or equal to {min} and less than or equal to {max}";
    public const string InvalidDate = "Input should be a valid date in the format YYYY-MM-DD";
    public static string FieldRequired(string field) => $"Field '{field}' is required";
    public static string InvalidSetting(string field) => $"{field} has an invalid value";
    public const string PermissionNotBoolean = "Permissions must be true or false";
    public const string UnknownMessageOfConversation = "message_id names no message of this conversation";
    public static string SignedUrlLifetime(int maxSeconds) => $"Input should be from 1 to {maxSeconds} seconds";
    public const string ArtifactTypeChoices = "Input should be 'all', 'images', 'html', 'code' or 'files'";

    public static string ToolNotFound(string id) => $"Tool not found: {id}";
    public const string ChannelChatsHaveNoCompletions = "Channel chats have no completions to finish.";
    public const string ActionNeedsSavedMessage = "This action needs a saved chat's chat_id and a message id.";

    // Shared folders: a writer renames and adds subfolders; the rest is the owner's.
    public const string FolderDataOwnerOnly =
        "Only the folder's owner can set its data or meta (system prompt, files): with write access you may rename it and add subfolders.";

    // The model servers' failures, named so an operator knows which server to look at.
    public static string ConnectionFailed(string connection, string detail) => $"connection {connection} failed ({detail})";
    public static string ModelServerTimedOut(Uri server, TimeSpan waited) =>
        $"The model server at {server} did not answer within {waited.TotalSeconds:F0} s.";
    public static string ModelServerUnreachable(Uri server, string reason) => $"The model server at {server} cannot be reached: {reason}";
    public static string ModelServerRefused(int status, string reason) => $"The model server answered {status}: {reason}";
    public static string ModelReplyBroken(string reason) => $"The model server's reply broke off or could not be read: {reason}";
    public const string ModelReplyNotAnObject = "The model server answered something that is not a JSON object.";

    public const string InvalidRetentionRule =
        "A retention rule needs days from 0 (keep every chat) to 36500 and an action of delete or archive.";
    public static string InvalidPreviewLimit(int max) => $"limit must be from 0 to {max}.";
    public const string RetentionRunning = "A retention pass is already running (in this or another Hearth process); try again when it ends.";

    public const string ImportMediaType = "Send the export as the body: application/json for conversations.json or an Open WebUI export, application/zip for an export .zip.";
    public const string ImportNoConversations = "The archive holds no conversations.json.";
    public const string ImportNotAZip = "The body is not a readable .zip archive.";
    public static string ImportUnpacksTooLarge(long limit) =>
        $"The archive unpacks to more than the limit of {limit} bytes per import (setting IMPORT_MAX_UNPACKED_SIZE); nothing after that point was read.";
    public static string ImportChatTooLarge(long limit) =>
        $"A conversation is larger than the limit of {limit} bytes of JSON (setting IMPORT_MAX_CHAT_SIZE); nothing after it was read.";

    // Request documents (Common/JsonUnicode, NulFreeStringConverter): also the JsonException messages the error
    // handler recognises, so each is written once.
    public const string NotUnicode = "Input holds a string that is not valid Unicode (half of a surrogate pair).";
    public const string StringNotUnicode = "Input should be a valid string: it holds half of a surrogate pair";
    public const string HoldsNul = "Input holds U+0000 (NUL) in a string.";
    public const string DuplicateMember = "Input names the same member twice in one object.";
    public const string ClientClosedRequest = "Client closed the request.";
    public const string Missing = "Field required";
    public const string WrongType = "Input has the wrong type for this field";
    public const string JsonInvalid = "JSON decode error: the body is not valid JSON";
    public static string ShouldBeValid(string type) => $"Input should be a valid {type}";
    public const string IntParsing = "Input should be a valid integer, unable to parse string as an integer";
    public const string BoolParsing = "Input should be a valid boolean, unable to interpret input";
    public const string FloatParsing = "Input should be a valid number, unable to parse string as a number";

    // Forks (the first two are upstream's spellings), accounts, groups.
    public const string ForkNothingToFork = "chat has no messages to fork";
    public const string ForkMessageNotFound = "message not found";
    public const string ForkStillAnswering = "Wait for the current response to finish before forking.";
    public const string NameEmpty = "The name must not be empty.";
    public const string PasswordNotValid = "The password does not meet the required validation criteria.";
    public const string PermissionsNotBool = "Permissions must be true or false";
}
