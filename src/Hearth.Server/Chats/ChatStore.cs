using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>Creating, reading, replacing and deleting whole chats.</summary>
internal sealed class ChatStore(Database database, TimeProvider clock, ChatDeletions deletions)
{
    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    public static ChatRow NewRow(string userId, SplitChat split, string? folderId, string meta, bool? pinned, long createdAt, long updatedAt) => new()
    {
        Id = Guid.NewGuid().ToString(),
        UserId = userId,
        OwnerId = userId,
        Title = split.Title,
        SearchTitle = split.Title.ToLowerInvariant(),
        Doc = split.Doc,
        HasTree = split.HasTree,
        CurrentId = split.CurrentId,
        Meta = meta,
        FolderId = folderId,
        Pinned = pinned ?? false,
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
    };

    /// <summary>Inserts new chats (one for POST /new, many for an import) in one transaction.</summary>
    public async Task<IReadOnlyList<ChatRow>> InsertAsync(IReadOnlyList<(ChatRow Row, SplitChat Split)> chats, CancellationToken cancellationToken) =>
        await database.InTransactionAsync<IReadOnlyList<ChatRow>>(async (connection, transaction) =>
        {
            foreach (var (row, split) in chats)
            {
                await ChatWrites.InsertChatAsync(connection, transaction, row, split.Messages);
            }
            return chats.Select(c => c.Row).ToList();
        }, cancellationToken);

    public async Task<ChatRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id);
    }

    public static Task<ChatRow?> GetAsync(DbConnection connection, DbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefaultAsync<ChatRow>($"SELECT {ChatRow.Columns} FROM chats WHERE id = @id", new { id }, transaction);

    /// <summary>The chat row, locked until <paramref name="transaction"/> ends: the start of a read-modify-write.</summary>
    public static Task<ChatRow?> LockAsync(DbConnection connection, DbTransaction transaction, string id) =>
        connection.QuerySingleOrDefaultAsync<ChatRow>($"SELECT {ChatRow.Columns} FROM chats WHERE id = @id{connection.ForUpdate()}",
            new { id }, transaction);

    /// <summary>The chat as the wire shows it: its row and every message, in order.</summary>
    public async Task<ChatResponse?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await GetAsync(connection, null, id);
        return row is null ? null : row.ToResponse(await MessagesAsync(connection, row.Id, cancellationToken));
    }

    public async Task<ChatResponse> ReadAsync(ChatRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return row.ToResponse(await MessagesAsync(connection, row.Id, cancellationToken));
    }

    public static async Task<IReadOnlyList<(string Id, string Body)>> MessagesAsync(DbConnection connection, string chatId,
        CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT id, body FROM chat_messages WHERE chat_id = @chatId ORDER BY seq", new { chatId }, transaction,
            cancellationToken: cancellationToken))).ToList();

    /// <summary>
    /// POST /{id}: a shallow merge of <paramref name="incoming"/> over the stored document, except that a
    /// <c>history</c> is merged into the stored one (<see cref="HistoryMerge"/>): posted messages are written
    /// when their JSON changed, stored ones the copy lacks are kept.
    /// </summary>
    public async Task<ChatRow?> ReplaceAsync(string id, string userId, JsonObject incoming, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var row = await LockAsync(connection, transaction, id);
            if (row is null || row.UserId != userId)
            {
                return null;
            }
            var merged = JsonNode.Parse(row.Doc) as JsonObject ?? new JsonObject();
            foreach (var (key, value) in incoming)
            {
                merged[key] = key == "history" ? HistoryMerge.Overlay(merged[key], value) : value?.DeepClone();
            }
            var split = MessageTree.Split(merged);
            row.Doc = split.Doc;
            row.Title = split.Title;
            row.SearchTitle = split.Title.ToLowerInvariant();
            row.UpdatedAt = Now;
            if (incoming.ContainsKey("history"))
            {
                var namesCurrent = incoming["history"] is JsonObject posted && posted.ContainsKey("currentId");
                row.CurrentId = split.HasTree
                    ? await MessageDiff.ApplyAsync(connection, transaction, id, split.Messages, namesCurrent, split.CurrentId, row.CurrentId)
                    : namesCurrent ? split.CurrentId : row.CurrentId;
                row.HasTree = split.HasTree;
            }
            await connection.ExecuteAsync(
                """
                UPDATE chats SET title = @Title, search_title = @SearchTitle, doc = @Doc, has_tree = @HasTree,
                    current_id = @CurrentId, updated_at = @UpdatedAt WHERE id = @Id
                """, row, transaction);
            return row;
        }, cancellationToken);

    /// <summary>Deletes the chat and its share snapshots; messages, tags index, share copies and artifact files go with it.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await database.InTransactionAsync(async (connection, transaction) =>
        {
            // A chat is locked before its snapshot on every path (sharing does the same), so two cannot deadlock.
            if (await LockAsync(connection, transaction, id) is null)
            {
                return false;
            }
            await connection.ExecuteAsync("DELETE FROM chats WHERE user_id = @shared; DELETE FROM chats WHERE id = @id",
                new { id, shared = ChatRow.ShareOwner(id) }, transaction);
            return true;
        }, cancellationToken);
        if (deleted)
        {
            await deletions.DeletedAsync([id], cancellationToken);
        }
        return deleted;
    }

    /// <summary>DELETE /: every chat of the user and every share snapshot of them.</summary>
    public async Task DeleteAllAsync(string userId, CancellationToken cancellationToken)
    {
        var ids = await database.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAllAsync(connection, transaction, "user_id = @userId", new { userId });
            // The ids deleted, not the ones locked: a chat created meanwhile goes too, and its files with it.
            return (await connection.QueryAsync<string>(
                """
                DELETE FROM chats WHERE user_id IN (SELECT 'shared-' || id FROM chats WHERE user_id = @userId);
                DELETE FROM chats WHERE user_id = @userId RETURNING id;
                """, new { userId }, transaction)).ToList();
        }, cancellationToken);
        await deletions.DeletedAsync(ids, cancellationToken);
    }

    /// <summary>
    /// Locks the chats <paramref name="where"/> selects, in id order, and returns their ids: bulk changes take
    /// their chats before any share snapshot, in one order, as single-chat changes do.
    /// </summary>
    public static async Task<List<string>> LockAllAsync(DbConnection connection, DbTransaction transaction, string where, object args) =>
        (await connection.QueryAsync<string>($"SELECT id FROM chats WHERE {where} ORDER BY id{connection.ForUpdate()}", args, transaction)).ToList();

    /// <summary>
    /// Loads the caller's chat, lets <paramref name="change"/> edit its flags, folder or meta (returning false
    /// when nothing changed) and saves those columns and the tag index. Null when the chat is not the caller's.
    /// </summary>
    public async Task<ChatRow?> UpdateFlagsAsync(string id, string userId, Func<ChatRow, bool> change, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var row = await LockAsync(connection, transaction, id);
            if (row is null || row.UserId != userId)
            {
                return null;
            }
            if (change(row))
            {
                await connection.ExecuteAsync(
                    "UPDATE chats SET archived = @Archived, pinned = @Pinned, folder_id = @FolderId, meta = @Meta, updated_at = @UpdatedAt WHERE id = @Id",
                    row, transaction);
                if (row.FolderId is not null)
                {
                    // chat_folder_guard files the chat outside any folder when its folder was deleted meanwhile.
                    row.FolderId = await connection.ExecuteScalarAsync<string?>("SELECT folder_id FROM chats WHERE id = @Id", row, transaction);
                }
                await ChatWrites.SyncTagsAsync(connection, transaction, row.Id, row.UserId, row.Meta);
            }
            return row;
        }, cancellationToken);

    public async Task SetArchivedForAllAsync(string userId, bool archived, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAllAsync(connection, transaction, "user_id = @userId", new { userId });
            return await connection.ExecuteAsync("UPDATE chats SET archived = @archived WHERE user_id = @userId", new { userId, archived }, transaction);
        }, cancellationToken);
}
