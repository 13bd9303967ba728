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

    /// <summary>
    /// A new chat of <paramref name="userId"/> holding <paramref name="doc"/>, made now: the one way a single chat
    /// is created (<c>POST /new</c>, a completion that starts a chat, the <c>copy_to_new_chat</c> action). A folder
    /// that is not the user's, or gone by the time the row is written, leaves the chat unfiled.
    /// </summary>
    public async Task<ChatRow> CreateAsync(string userId, JsonObject doc, string? folderId, CancellationToken cancellationToken)
    {
        var split = MessageTree.Split(doc);
        var now = Now;
        var row = NewRow(userId, split, folderId, "{}", false, now, now);
        await InsertAsync([(row, split)], cancellationToken);
        return row;
    }

    /// <summary>Inserts new chats (many for an import) in one transaction.</summary>
    public async Task<IReadOnlyList<ChatRow>> InsertAsync(IReadOnlyList<(ChatRow Row, SplitChat Split)> chats, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync<IReadOnlyList<ChatRow>>(database, async change =>
        {
            foreach (var (row, split) in chats)
            {
                await change.InsertAsync(row, split.Messages, split.Flat);
            }
            return chats.Select(c => c.Row).ToList();
        }, cancellationToken);

    /// <summary>The chat's row without its document (<see cref="ChatRow.HeaderColumns"/>): what access checks read.</summary>
    public async Task<ChatRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChatRow>(new CommandDefinition(
            $"SELECT {ChatRow.HeaderColumns} FROM chats WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The chat's row with its document.</summary>
    public static Task<ChatRow?> GetWholeAsync(DbConnection connection, DbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefaultAsync<ChatRow>($"SELECT {ChatRow.Columns} FROM chats WHERE id = @id", new { id }, transaction);

    /// <summary>The chat as the wire shows it: its row, every message in order and its flat list.</summary>
    public async Task<ChatResponse?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await GetWholeAsync(connection, null, id);
        return row is null ? null : row.ToResponse(await ChatContent.ReadAsync(connection, row.Id, cancellationToken));
    }

    /// <summary>The chat's stored document without its messages (null when the chat is gone).</summary>
    public async Task<JsonObject?> ReadDocumentAsync(ChatRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var doc = row.Doc ?? await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT doc FROM chats WHERE id = @Id", row, cancellationToken: cancellationToken));
        return doc is null ? null : JsonNode.Parse(doc) as JsonObject ?? new JsonObject();
    }

    /// <summary>The chat of <paramref name="row"/> as the wire shows it (its document read when the row lacks it).</summary>
    public async Task<ChatResponse> ReadAsync(ChatRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        row.Doc ??= await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT doc FROM chats WHERE id = @Id", row, cancellationToken: cancellationToken)) ?? "{}";
        return row.ToResponse(await ChatContent.ReadAsync(connection, row.Id, cancellationToken));
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
        await ChatChange.RunAsync(database, async change =>
        {
            var (connection, transaction) = (change.Connection, change.Transaction);
            var row = await change.LockAsync(id, withDocument: true);
            if (row is null || row.UserId != userId)
            {
                return null;
            }
            var before = ListState.Of(row);
            var merged = JsonNode.Parse(row.Doc!) as JsonObject ?? new JsonObject();
            foreach (var (key, value) in incoming)
            {
                merged[key] = key == "history" ? HistoryMerge.Overlay(merged[key], value) : value?.DeepClone();
            }
            var split = MessageTree.Split(merged);
            row.Doc = split.Doc;
            row.Title = split.Title;
            row.SearchTitle = split.Title.ToLowerInvariant();
            row.UpdatedAt = Now;
            Func<string, string?>? storedHash = null;
            if (incoming.ContainsKey("history"))
            {
                var namesCurrent = incoming["history"] is JsonObject posted && posted.ContainsKey("currentId");
                if (split.HasTree)
                {
                    var diff = await MessageDiff.ApplyAsync(connection, transaction, id, split.Messages, namesCurrent, split.CurrentId, row.CurrentId);
                    row.CurrentId = diff.CurrentId;
                    storedHash = diff.StoredHash;
                }
                else if (namesCurrent)
                {
                    row.CurrentId = split.CurrentId;
                }
                row.HasTree = split.HasTree;
            }
            // The flat list is written when posted, and when a document saved before it had rows of its own still holds it.
            if (incoming.ContainsKey("messages") || split.Flat is { Count: > 0 })
            {
                storedHash ??= await MessageDiff.StoredHashesAsync(connection, transaction, id);
                await ChatWrites.WriteFlatListAsync(connection, transaction, id, split.Flat ?? [], storedHash, fresh: false);
            }
            await change.SaveDocumentAsync(row, before);
            return row;
        }, cancellationToken);

    /// <summary>
    /// A title made for the chat (by its model, after the first reply), written only while the chat's title is still
    /// <paramref name="expected"/>: a rename made meanwhile wins.
    /// </summary>
    /// <returns>Whether the title was written.</returns>
    public async Task<bool> RetitleAsync(string id, string title, string expected, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async change =>
        {
            var row = await change.LockAsync(id, withDocument: true);
            if (row is null || row.Title != expected)
            {
                return false;
            }
            var before = ListState.Of(row);
            var doc = JsonNode.Parse(row.Doc!) as JsonObject ?? new JsonObject();
            doc["title"] = title;
            row.Doc = doc.ToJsonString(MessageTree.Compact);
            row.Title = title;
            row.SearchTitle = title.ToLowerInvariant();
            row.UpdatedAt = Now;
            await change.SaveDocumentAsync(row, before);
            return true;
        }, cancellationToken);

    /// <summary>Deletes the chat and its share snapshots; messages, tags index, share copies and artifact files go with it.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await ChatChange.RunAsync(database, async change =>
            await change.LockAsync(id) is null ? [] : await change.DeleteAsync("id = @id", new { id }), cancellationToken);
        await deletions.DeletedAsync(deleted, cancellationToken);
        return deleted.Count > 0;
    }

    /// <summary>DELETE /: every chat of the user and every share snapshot of them.</summary>
    public async Task DeleteAllAsync(string userId, CancellationToken cancellationToken)
    {
        var ids = await ChatChange.RunAsync(database, async change =>
        {
            await change.LockAllAsync("user_id = @userId", new { userId });
            return await change.DeleteAsync("user_id = @userId", new { userId });
        }, cancellationToken);
        await deletions.DeletedAsync(ids, cancellationToken);
    }

    /// <summary>
    /// Retention: deletes (or archives) those of <paramref name="ids"/> that <paramref name="removable"/> (SQL over
    /// <c>chats</c> with <c>@userId</c> and <c>@before</c>) still selects once they are locked, one transaction;
    /// a deleted chat's share snapshots and artifact files go with it. Archiving keeps <c>updated_at</c>, so the
    /// chat keeps its place in the archive list.
    /// </summary>
    /// <returns>The ids removed.</returns>
    public async Task<IReadOnlyList<string>> RemoveExpiredAsync(string userId, IReadOnlyList<string> ids, long before,
        string removable, bool delete, CancellationToken cancellationToken)
    {
        var removed = await ChatChange.RunAsync(database, async change =>
        {
            var args = new { userId, before, ids = ids.ToArray() };
            var locked = await change.LockAllAsync($"{removable} AND {change.Connection.In("id", "@ids")}", args);
            if (locked.Count == 0)
            {
                return [];
            }
            var lockedArgs = new { locked = locked.ToArray() };
            if (delete)
            {
                return await change.DeleteAsync(change.Connection.In("id", "@locked"), lockedArgs);
            }
            await change.ArchiveAsync(userId, change.Connection.In("id", "@locked"), lockedArgs);
            return locked;
        }, cancellationToken);
        if (delete)
        {
            await deletions.DeletedAsync(removed, cancellationToken);
        }
        return removed;
    }

    /// <summary>
    /// Loads the caller's chat, lets <paramref name="change"/> edit its flags, folder or meta (returning false
    /// when nothing changed) and saves those columns and the tag index. Null when the chat is not the caller's.
    /// The folder saved is the one <see cref="ChatChange"/> filed it into (none when that folder is gone).
    /// </summary>
    public async Task<ChatRow?> UpdateFlagsAsync(string id, string userId, Func<ChatRow, bool> change, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async write =>
        {
            var row = await write.LockAsync(id);
            if (row is null || row.UserId != userId)
            {
                return null;
            }
            var before = ListState.Of(row);
            if (change(row))
            {
                await write.SaveFlagsAsync(row, before);
            }
            return row;
        }, cancellationToken);

    public async Task SetArchivedForAllAsync(string userId, bool archived, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async change =>
        {
            await change.SetArchivedForAllAsync(userId, archived);
            return true;
        }, cancellationToken);
}
