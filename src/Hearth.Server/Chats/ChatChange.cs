using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Chats;

/// <summary>
/// The one path by which chat rows change. Every write to <c>chats</c> (from <see cref="ChatStore"/>,
/// <see cref="ChatMessageStore"/>, <see cref="ChatCopies"/>, <see cref="FolderStore"/>, the user deletion) runs
/// through a <see cref="ChatChange"/> inside one transaction, which takes its locks in the house order (AGENTS.md,
/// "Lock order": folder tree, chats in id order, share snapshots, the owner's user row, folders, the user's list version) and keeps the
/// derived data in step: the default list's version (<see cref="ChatListVersions"/>), <c>chat_tags</c>, the folder
/// a chat is filed into, share snapshots of deleted chats. Artifact files of deleted chats go after commit:
/// callers hand the ids the delete methods return to <see cref="ChatDeletions"/>.
/// </summary>
internal sealed class ChatChange(DbConnection connection, DbTransaction transaction)
{
    // The owner whose row this transaction has key-shared: an import inserts many chats of one owner.
    private string? _keySharedOwner;

    public DbConnection Connection => connection;
    public DbTransaction Transaction => transaction;

    public static Task<T> RunAsync<T>(Database database, Func<ChatChange, Task<T>> work, CancellationToken cancellationToken) =>
        database.InTransactionAsync((connection, transaction) => work(new ChatChange(connection, transaction)), cancellationToken);

    /// <summary>
    /// The chat row (with its document when <paramref name="withDocument"/>), locked until the transaction ends:
    /// the start of every read-modify-write of one chat. Null when there is no such chat.
    /// </summary>
    public Task<ChatRow?> LockAsync(string id, bool withDocument = false) =>
        connection.QuerySingleOrDefaultAsync<ChatRow>(
            $"SELECT {(withDocument ? ChatRow.Columns : ChatRow.HeaderColumns)} FROM chats WHERE id = @id{connection.ForUpdate()}",
            new { id }, transaction);

    /// <summary>Locks the chats <paramref name="where"/> selects, in id order (so two bulk changes cannot deadlock), and returns their ids.</summary>
    public async Task<List<string>> LockAllAsync(string where, object args) =>
        (await connection.QueryAsync<string>($"SELECT id FROM chats WHERE {where} ORDER BY id{connection.ForUpdate()}", args, transaction)).ToList();

    /// <summary>
    /// Inserts a chat with its messages and flat list, filed only into a folder of its owner's that exists. The
    /// owner's row is key-shared before the folder (lock order); an owner deleted meanwhile fails the row's key.
    /// </summary>
    public async Task InsertAsync(ChatRow row, IReadOnlyList<StoredMessage> messages, IReadOnlyList<FlatItem>? flat)
    {
        if (_keySharedOwner != row.OwnerId)
        {
            await connection.KeyShareUserAsync(transaction, row.OwnerId);
            _keySharedOwner = row.OwnerId;
        }
        row.FolderId = await FiledFolderAsync(row.UserId, row.FolderId);
        await ChatWrites.InsertChatAsync(connection, transaction, row, messages, flat);
        await ChatListVersions.ChangedAsync(connection, transaction, null, ListState.Of(row));
    }

    /// <summary>Saves a locked chat's flags, folder, meta (and the tag index) and time; <paramref name="before"/> is its state when locked.</summary>
    public async Task SaveFlagsAsync(ChatRow row, ListState before)
    {
        if (row.FolderId != before.FolderId)
        {
            row.FolderId = await FiledFolderAsync(row.UserId, row.FolderId);
        }
        // A read chat stays read (the owner's own change), an unread one stays unread (SET reads the old updated_at).
        await connection.ExecuteAsync(
            """
            UPDATE chats SET archived = @Archived, pinned = @Pinned, folder_id = @FolderId, meta = @Meta, updated_at = @UpdatedAt,
                last_read_at = CASE WHEN last_read_at >= updated_at THEN @UpdatedAt ELSE last_read_at END WHERE id = @Id
            """, row, transaction);
        await ChatWrites.SyncTagsAsync(connection, transaction, row.Id, row.UserId, row.Meta);
        await ChatListVersions.ChangedAsync(connection, transaction, before, ListState.Of(row));
    }

    /// <summary>
    /// Saves a locked chat's document, title, current message and time (a save of the whole chat, which its owner
    /// makes with the chat open: it is read from then on).
    /// </summary>
    public async Task SaveDocumentAsync(ChatRow row, ListState before)
    {
        await connection.ExecuteAsync(
            """
            UPDATE chats SET title = @Title, search_title = @SearchTitle, doc = @Doc, has_tree = @HasTree,
                current_id = @CurrentId, updated_at = @UpdatedAt, last_read_at = @UpdatedAt WHERE id = @Id
            """, row, transaction);
        await ChatListVersions.ChangedAsync(connection, transaction, before, ListState.Of(row));
    }

    /// <summary>
    /// After a message write: the locked chat's time and, when <paramref name="withCurrent"/>, its current message
    /// (<see cref="ChatRow.CurrentId"/>, set by the caller).
    /// </summary>
    public async Task TouchAsync(ChatRow row, long now, bool withCurrent)
    {
        var before = ListState.Of(row);
        row.UpdatedAt = now;
        await connection.ExecuteAsync(withCurrent
            ? "UPDATE chats SET current_id = @CurrentId, updated_at = @UpdatedAt WHERE id = @Id"
            : "UPDATE chats SET updated_at = @UpdatedAt WHERE id = @Id", row, transaction);
        await ChatListVersions.ChangedAsync(connection, transaction, before, ListState.Of(row));
    }

    /// <summary>A chat created without <c>history.messages</c> gets them (once), so message rows have a place on read.</summary>
    public async Task AddMessageTreeAsync(ChatRow row)
    {
        var doc = await connection.QuerySingleAsync<string>("SELECT doc FROM chats WHERE id = @Id", row, transaction);
        var obj = JsonNode.Parse(doc) as JsonObject ?? new JsonObject();
        if (obj["history"] is not JsonObject history)
        {
            history = new JsonObject();
            obj["history"] = history;
        }
        history["messages"] = new JsonObject();
        row.HasTree = true;
        await connection.ExecuteAsync("UPDATE chats SET doc = @doc, has_tree = TRUE WHERE id = @Id",
            new { row.Id, doc = obj.ToJsonString(MessageTree.Compact) }, transaction);
    }

    /// <summary>Points the chat at its share snapshot (or at none).</summary>
    public Task SetShareAsync(string chatId, string? shareId) =>
        connection.ExecuteAsync("UPDATE chats SET share_id = @shareId WHERE id = @chatId", new { shareId, chatId }, transaction);

    /// <summary>Points the chats <paramref name="where"/> selects at no share snapshot.</summary>
    public Task ClearSharesAsync(string where, object args) =>
        connection.ExecuteAsync($"UPDATE chats SET share_id = NULL WHERE {where}", args, transaction);

    /// <summary>Deletes the share snapshots of the chats <paramref name="where"/> selects (snapshots are in no list).</summary>
    public Task DeleteSnapshotsAsync(string where, object args) =>
        connection.ExecuteAsync($"DELETE FROM chats WHERE user_id IN (SELECT 'shared-' || id FROM chats WHERE {where})", args, transaction);

    /// <summary>Removes who may read the chats <paramref name="where"/> selects through their shares.</summary>
    public Task RevokeShareGrantsAsync(string where, object args) =>
        connection.ExecuteAsync(
            $"DELETE FROM access_grants WHERE resource_type = '{ChatGrants.SharedChat}' AND resource_id IN (SELECT id FROM chats WHERE {where})",
            args, transaction);

    /// <summary>
    /// Deletes the chats <paramref name="where"/> selects and their share snapshots (messages, flat lists and the
    /// tag index cascade) and returns the ids deleted, not the ones locked: a chat created meanwhile goes too.
    /// </summary>
    public async Task<List<string>> DeleteAsync(string where, object args)
    {
        await DeleteSnapshotsAsync(where, args);
        await RevokeShareGrantsAsync(where, args);
        var deleted = (await connection.QueryAsync<(string Id, string UserId)>(
            $"DELETE FROM chats WHERE {where} RETURNING id, user_id", args, transaction)).ToList();
        await ChatListVersions.BumpAllAsync(connection, transaction, deleted.Select(d => d.UserId));
        return deleted.Select(d => d.Id).ToList();
    }

    /// <summary>Files the chats <paramref name="where"/> selects (all <paramref name="userId"/>'s) outside any folder.</summary>
    public async Task UnfileAsync(string userId, string where, object args)
    {
        await connection.ExecuteAsync($"UPDATE chats SET folder_id = NULL WHERE {where}", args, transaction);
        await ChatListVersions.BumpAsync(connection, transaction, userId);
    }

    /// <summary>Archives or restores every chat of the user.</summary>
    public async Task SetArchivedForAllAsync(string userId, bool archived)
    {
        await LockAllAsync("user_id = @userId", new { userId });
        await connection.ExecuteAsync("UPDATE chats SET archived = @archived WHERE user_id = @userId", new { userId, archived }, transaction);
        await ChatListVersions.BumpAsync(connection, transaction, userId);
    }

    /// <summary>Archives the chats <paramref name="where"/> selects (locked by the caller, all <paramref name="userId"/>'s), filed outside any folder as an archived chat is.</summary>
    public async Task ArchiveAsync(string userId, string where, object args)
    {
        await connection.ExecuteAsync($"UPDATE chats SET archived = TRUE, folder_id = NULL WHERE {where}", args, transaction);
        await ChatListVersions.BumpAsync(connection, transaction, userId);
    }

    /// <summary>
    /// Marks the chats <paramref name="where"/> selects (on <c>chats c</c>) read (<c>last_read_at</c> = their
    /// <c>updated_at</c>) or unread (null), locking them in id order first. Read state moves no list.
    /// </summary>
    /// <returns>How many changed.</returns>
    public async Task<int> SetReadAsync(string where, object args, bool read)
    {
        var ids = await LockAllAsync($"id IN (SELECT c.id FROM chats c WHERE {where} AND {(read ? "" : "NOT ")}{ChatRow.UnreadSql})", args);
        if (ids.Count == 0)
        {
            return 0;
        }
        return await connection.ExecuteAsync(
            $"UPDATE chats SET last_read_at = {(read ? "updated_at" : "NULL")} WHERE {connection.In("id", "@ids")}",
            new { ids = ids.ToArray() }, transaction);
    }

    /// <summary>A deleted user's list number goes with them (the table has no key to <c>users</c>).</summary>
    public Task ForgetUserAsync(string userId) =>
        connection.ExecuteAsync("DELETE FROM chat_list_versions WHERE user_id = @userId", new { userId }, transaction);

    /// <summary>
    /// The folder a chat may be filed into: <paramref name="folderId"/> when it exists and is its owner's, else
    /// none (routes check the folder first, but it may be deleted between that check and this write). On
    /// PostgreSQL a folder being deleted is locked FOR UPDATE (after its chats: the order this write takes them
    /// too), so one this write cannot key-share right now is on its way out: the chat lands outside any folder at
    /// once, where the delete would have put it, instead of waiting. SQLite's writes are serialised.
    /// </summary>
    private async Task<string?> FiledFolderAsync(string userId, string? folderId)
    {
        if (folderId is null || userId.StartsWith(ChatRow.SharedPrefix, StringComparison.Ordinal))
        {
            return folderId;
        }
        var lockClause = connection is NpgsqlConnection ? " FOR KEY SHARE SKIP LOCKED" : "";
        return await connection.QuerySingleOrDefaultAsync<string?>(
            $"SELECT id FROM folders WHERE id = @folderId AND user_id = @userId{lockClause}", new { folderId, userId }, transaction);
    }
}
