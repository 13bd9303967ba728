using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

internal sealed record ReadAllResponse(int UpdatedCount, Dictionary<string, int> FolderUnreadCounts);

internal sealed record UnreadResponse(string ChatId, long? LastReadAt, string? FolderId, Dictionary<string, int> FolderUnreadCounts);

internal sealed record FolderReadResponse(string FolderId, IReadOnlyList<string> FolderIds, int UpdatedCount,
    Dictionary<string, int> FolderUnreadCounts);

/// <summary>Read state routes of Open WebUI 0.11: mark everything read, one chat unread, a folder read, the archived count.</summary>
internal static class ChatReadHandlers
{
    /// <summary>POST /api/v1/chats/read: every chat of the caller read.</summary>
    public static async Task<Ok<ReadAllResponse>> ReadAll(CurrentUser caller, ChatReadState reads, CancellationToken cancellationToken)
    {
        var updated = await reads.MarkAllReadAsync(caller.Id, null, cancellationToken);
        return TypedResults.Ok(new ReadAllResponse(updated, await reads.FolderUnreadCountsAsync(caller.Id, cancellationToken)));
    }

    /// <summary>POST /api/v1/chats/{id}/unread: the caller's own chat only (404 otherwise).</summary>
    public static async Task<Results<Ok<UnreadResponse>, JsonHttpResult<ErrorBody>>> Unread(string id, CurrentUser caller,
        ChatReadState reads, CancellationToken cancellationToken)
    {
        var (found, folderId) = await reads.MarkUnreadAsync(caller.Id, id, cancellationToken);
        return found
            ? TypedResults.Ok(new UnreadResponse(id, null, folderId, await reads.FolderUnreadCountsAsync(caller.Id, cancellationToken)))
            : Errors.NotFound();
    }

    /// <summary>GET /api/v1/chats/archived/count.</summary>
    public static async Task<Ok<long>> ArchivedCount(CurrentUser caller, ChatQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.CountAsync(new ChatFilter(caller.Id) { Archived = true }, cancellationToken));

    /// <summary>
    /// POST /api/v1/folders/{id}/read: the caller's chats in the folder and its subfolders read. An admin (under
    /// admin chat access) may name another user's folder; only the caller's own chats change.
    /// </summary>
    public static async Task<Results<Ok<FolderReadResponse>, JsonHttpResult<ErrorBody>>> ReadFolder(string id, CurrentUser caller,
        FolderStore folders, ChatAccess access, ChatReadState reads, CancellationToken cancellationToken)
    {
        if (await FoldersApi.VisibleAsync(id, caller, folders, access, cancellationToken) is null)
        {
            return Errors.NotFound();
        }
        var ids = await folders.WithDescendantsAsync([id], cancellationToken);
        var updated = await reads.MarkAllReadAsync(caller.Id, ids, cancellationToken);
        return TypedResults.Ok(new FolderReadResponse(id, ids, updated, await reads.FolderUnreadCountsAsync(caller.Id, cancellationToken)));
    }
}
