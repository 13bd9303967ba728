using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.ArtifactFiles;

/// <summary>The two lists: the caller's gallery across conversations, and one conversation's files.</summary>
internal static class ArtifactFileListHandlers
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public static async Task<Results<Ok<ArtifactFilePage>, JsonHttpResult<ValidationErrorBody>>> Gallery(
        CurrentUser caller, ArtifactFileStore store, CancellationToken cancellationToken,
        int? page = null, int? size = null, string? type = null, string? q = null,
        [FromQuery(Name = "conversation_id")] string? conversationId = null)
    {
        if (ParseGallery(caller.Id, page, size, type, q, conversationId) is not { } query)
        {
            return Problem(page, size, type);
        }
        var (rows, total) = await store.PageAsync(query, cancellationToken);
        return TypedResults.Ok(new ArtifactFilePage(rows.Select(r => ArtifactFileItem.From(r)).ToList(), total, query.Page, query.Size,
            (total + query.Size - 1) / query.Size));
    }

    /// <summary>The query when every parameter is valid; <c>type=all</c> and blank filters mean no filter.</summary>
    public static GalleryQuery? ParseGallery(string userId, int? page, int? size, string? type, string? q, string? conversationId) =>
        page is < 1 || size is < 1 or > MaxSize || (type is not null && !FileKinds.IsFilter(type))
            ? null
            : new GalleryQuery(userId, type is null or FileKinds.All ? null : type, string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
                string.IsNullOrEmpty(conversationId) ? null : conversationId, page ?? 1, size ?? DefaultSize);

    private static JsonHttpResult<ValidationErrorBody> Problem(int? page, int? size, string? type) =>
        page is < 1 ? Errors.InvalidQuery("page", ErrorMessages.AtLeast(1), page, "greater_than_equal")
        : size is < 1 ? Errors.InvalidQuery("size", ErrorMessages.AtLeast(1), size, "greater_than_equal")
        : size is > MaxSize ? Errors.InvalidQuery("size", ErrorMessages.AtMost(MaxSize), size, "less_than_equal")
        : Errors.InvalidQuery("type", ErrorMessages.ArtifactTypeChoices, type, "enum");

    public static async Task<Results<Ok<List<ArtifactFileItem>>, JsonHttpResult<ErrorBody>, ChallengeHttpResult, ForbidHttpResult>> OfConversation(
        string id, HttpContext http, ArtifactFileAccess access, ArtifactFileStore store, CancellationToken cancellationToken)
    {
        var caller = CurrentUser.From(http.User);
        var grant = await access.ResolveAsync(id, caller, write: false, cancellationToken);
        if (grant is null)
        {
            return Refusal(caller);
        }
        var rows = await store.OfConversationAsync(grant.Chat.Id, grant.VisibleUntil, cancellationToken);
        return TypedResults.Ok(rows.Select(r => ArtifactFileItem.From(r, grant.ViaId)).ToList());
    }

    /// <summary>
    /// The chats API's answers: no or bad credentials as the authentication handler answers them, a pending
    /// user's 401, and 401 "not found" for a conversation that is missing or someone else's.
    /// </summary>
    public static Results<Ok<List<ArtifactFileItem>>, JsonHttpResult<ErrorBody>, ChallengeHttpResult, ForbidHttpResult> Refusal(CurrentUser? caller) =>
        caller is null ? TypedResults.Challenge()
        : caller.Role is not (Roles.User or Roles.Admin) ? TypedResults.Forbid()
        : Errors.Unauthorized(ErrorMessages.NotFound);
}
