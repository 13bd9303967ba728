using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>Share snapshots (Open WebUI's classic copy rows) and clones: a new chat row with a copy of the messages, copied in SQL.</summary>
internal sealed class ChatCopies(Database database, TimeProvider clock)
{
    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Creates the share snapshot, or refreshes it keeping its id; returns the snapshot row.</summary>
    public async Task<ChatRow?> ShareAsync(string chatId, string userId, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var original = await ChatStore.LockAsync(connection, transaction, chatId);
            if (original is null || original.UserId != userId)
            {
                return null;
            }
            var shareId = original.ShareId ?? Guid.NewGuid().ToString();
            // A refresh replaces the old snapshot wholesale (also when it went missing behind our back).
            await connection.ExecuteAsync("DELETE FROM chats WHERE id = @shareId", new { shareId }, transaction);
            var copy = CopyOf(original, shareId, ChatRow.ShareOwner(chatId), original.Doc, original.Meta);
            copy.CreatedAt = original.CreatedAt;
            await InsertCopyAsync(connection, transaction, original.Id, copy);
            await connection.ExecuteAsync("UPDATE chats SET share_id = @shareId WHERE id = @chatId", new { shareId, chatId }, transaction);
            return copy;
        }, cancellationToken);

    /// <returns>Null when not the caller's chat, false when it was not shared, true when the share was removed.</returns>
    public async Task<bool?> UnshareAsync(string chatId, string userId, CancellationToken cancellationToken) =>
        await database.InTransactionAsync<bool?>(async (connection, transaction) =>
        {
            var original = await ChatStore.LockAsync(connection, transaction, chatId);
            if (original is null || original.UserId != userId)
            {
                return null;
            }
            if (original.ShareId is null)
            {
                return false;
            }
            await connection.ExecuteAsync(
                "DELETE FROM chats WHERE user_id = @owner; UPDATE chats SET share_id = NULL WHERE id = @chatId",
                new { owner = ChatRow.ShareOwner(chatId), chatId }, transaction);
            return true;
        }, cancellationToken);

    /// <summary>DELETE /share/all: every share of the user's chats.</summary>
    public async Task UnshareAllAsync(string userId, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await ChatStore.LockAllAsync(connection, transaction, "user_id = @userId AND share_id IS NOT NULL", new { userId });
            return await connection.ExecuteAsync(
                """
                DELETE FROM chats WHERE user_id IN (SELECT 'shared-' || id FROM chats WHERE user_id = @userId AND share_id IS NOT NULL);
                UPDATE chats SET share_id = NULL WHERE user_id = @userId AND share_id IS NOT NULL;
                """, new { userId }, transaction);
        }, cancellationToken);

    /// <summary>Clones <paramref name="source"/> for <paramref name="userId"/> with <c>originalChatId</c>, <c>branchPointMessageId</c> and a title.</summary>
    public async Task<ChatRow> CloneAsync(ChatRow source, string userId, string title, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var doc = JsonNode.Parse(source.Doc) as JsonObject ?? new JsonObject();
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
            await InsertCopyAsync(connection, transaction, source.Id, clone);
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

    private static async Task InsertCopyAsync(DbConnection connection, DbTransaction transaction, string sourceId, ChatRow copy)
    {
        await ChatWrites.InsertChatAsync(connection, transaction, copy, []);
        await connection.ExecuteAsync(
            """
            INSERT INTO chat_messages (chat_id, id, seq, parent_id, role, model, timestamp, search_text, body, body_hash)
            SELECT @copyId, id, seq, parent_id, role, model, timestamp, search_text, body, body_hash FROM chat_messages WHERE chat_id = @sourceId
            """, new { copyId = copy.Id, sourceId }, transaction);
    }
}
