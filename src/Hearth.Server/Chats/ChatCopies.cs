using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>Share snapshots (Open WebUI's classic copy rows) and clones: a new chat row with a copy of the messages, copied in SQL.</summary>
internal sealed class ChatCopies(Database database, TimeProvider clock)
{
    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Creates the share snapshot, or refreshes it keeping its id; returns the snapshot row. The one write that locks a
    /// chat and then key-shares its owner's row (the snapshot's key): racing the owner's deletion on a chat made while
    /// the deletion waited, it can deadlock, and is then run again (finding the chat gone).
    /// </summary>
    public async Task<ChatRow?> ShareAsync(string chatId, string userId, CancellationToken cancellationToken) =>
        await TransactionRetry.RunAsync(() => ChatChange.RunAsync(database, async change =>
        {
            // The chat is locked before its snapshot, as on every path, so two cannot deadlock.
            var original = await change.LockAsync(chatId, withDocument: true);
            if (original is null || original.UserId != userId)
            {
                return null;
            }
            var shareId = original.ShareId ?? Guid.NewGuid().ToString();
            // A refresh replaces the old snapshot wholesale (also when it went missing behind our back).
            await change.DeleteSnapshotsAsync("id = @chatId", new { chatId });
            var copy = CopyOf(original, shareId, ChatRow.ShareOwner(chatId), original.Doc!, original.Meta);
            copy.CreatedAt = original.CreatedAt;
            await InsertCopyAsync(change, original.Id, copy);
            await change.SetShareAsync(chatId, shareId);
            return copy;
        }, cancellationToken));

    /// <returns>Null when not the caller's chat, false when it was not shared, true when the share was removed.</returns>
    public async Task<bool?> UnshareAsync(string chatId, string userId, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync<bool?>(database, async change =>
        {
            var original = await change.LockAsync(chatId);
            if (original is null || original.UserId != userId)
            {
                return null;
            }
            if (original.ShareId is null)
            {
                return false;
            }
            await change.DeleteSnapshotsAsync("id = @chatId", new { chatId });
            await change.SetShareAsync(chatId, null);
            // Unsharing closes the chat to everyone it was shared with, as upstream clears the grants.
            await change.RevokeShareGrantsAsync("id = @chatId", new { chatId });
            return true;
        }, cancellationToken);

    /// <summary>DELETE /share/all: every share of the user's chats.</summary>
    public async Task UnshareAllAsync(string userId, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async change =>
        {
            const string shared = "user_id = @userId AND share_id IS NOT NULL";
            await change.LockAllAsync(shared, new { userId });
            await change.DeleteSnapshotsAsync(shared, new { userId });
            await change.RevokeShareGrantsAsync(shared, new { userId });
            await change.ClearSharesAsync(shared, new { userId });
            return true;
        }, cancellationToken);

    /// <summary>
    /// Replaces who may read the chat through its share (<c>shared_chat</c> grants keyed by the chat's id), under the
    /// chat's lock so a delete cannot leave grants behind; false when the chat is gone.
    /// </summary>
    public async Task<bool> SetShareGrantsAsync(string chatId, IReadOnlyList<Access.AccessGrant> grants, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async change =>
        {
            if (await change.LockAsync(chatId) is null)
            {
                return false;
            }
            await Access.AccessGrantStore.ReplaceAsync(change.Connection, change.Transaction, ChatGrants.SharedChat, chatId, grants, Now);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Clones chat <paramref name="sourceId"/> for <paramref name="userId"/> with <c>originalChatId</c>,
    /// <c>branchPointMessageId</c> and a title; null when the chat is gone.
    /// </summary>
    public async Task<ChatRow?> CloneAsync(string sourceId, string userId, string title, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async change =>
        {
            if (await ChatStore.GetWholeAsync(change.Connection, change.Transaction, sourceId) is not { } source)
            {
                return null;
            }
            var doc = JsonNode.Parse(source.Doc!) as JsonObject ?? new JsonObject();
            doc["originalChatId"] = source.Id;
            doc["branchPointMessageId"] = source.CurrentId;
            doc["title"] = title;
            var clone = CopyOf(source, Guid.NewGuid().ToString(), userId, doc.ToJsonString(MessageTree.Compact), source.Meta);
            clone.Title = title;
            clone.SearchTitle = title.ToLowerInvariant();
            clone.OwnerId = userId;
            // A folder id names a folder of the chat's owner; someone else's clone starts outside any folder.
            clone.FolderId = source.OwnerId == userId ? source.FolderId : null;
            clone.CreatedAt = Now;
            await InsertCopyAsync(change, source.Id, clone);
            return clone;
        }, cancellationToken);

    private ChatRow CopyOf(ChatRow source, string id, string userId, string doc, string meta) => new()
    {
        Id = id,
        UserId = userId,
        OwnerId = source.OwnerId,
        Title = source.Title,
        SearchTitle = source.SearchTitle,
        Doc = doc,
        HasTree = source.HasTree,
        CurrentId = source.CurrentId,
        Meta = meta,
        FolderId = source.FolderId,
        Pinned = source.Pinned,
        Archived = false,
        CreatedAt = source.CreatedAt,
        UpdatedAt = Now,
    };

    private static async Task InsertCopyAsync(ChatChange change, string sourceId, ChatRow copy)
    {
        await change.InsertAsync(copy, [], flat: null);
        await change.Connection.ExecuteAsync(
            """
            INSERT INTO chat_messages (chat_id, id, seq, parent_id, role, model, timestamp, search_text, body, body_hash)
            SELECT @copyId, id, seq, parent_id, role, model, timestamp, search_text, body, body_hash FROM chat_messages WHERE chat_id = @sourceId;
            INSERT INTO chat_flat_messages (chat_id, pos, message_id, body)
            SELECT @copyId, pos, message_id, body FROM chat_flat_messages WHERE chat_id = @sourceId;
            """, new { copyId = copy.Id, sourceId }, change.Transaction);
    }
}
