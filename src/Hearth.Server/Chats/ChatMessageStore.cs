using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>
/// The message primitive (Open WebUI's <c>upsert_message_to_chat_by_id_and_message_id</c>) and message
/// deletion. Each write touches one message row and the chat row, whatever the chat's length.
/// </summary>
internal sealed class ChatMessageStore(Database database, TimeProvider clock)
{
    /// <summary>
    /// Applies <paramref name="change"/> to <c>history.messages[messageId]</c> (null when the message does not
    /// exist; returning null writes nothing) and, when <paramref name="moveCurrent"/>, points
    /// <c>history.currentId</c> at it (with <paramref name="currentOnlyWhenNew"/>, only when this write creates it).
    /// With <paramref name="keepTime"/> the chat's <c>updated_at</c> stays (an attachment is not activity); with it and
    /// without <paramref name="moveCurrent"/> the chat row is only locked, not written (a streaming reply's progress).
    /// </summary>
    /// <returns>False when the chat does not exist or nothing was written.</returns>
    public async Task<bool> ChangeAsync(string chatId, string messageId, Func<JsonObject?, JsonObject?> change, bool moveCurrent,
        CancellationToken cancellationToken, bool currentOnlyWhenNew = false, bool keepTime = false) =>
        await ChatChange.RunAsync(database, async write =>
        {
            if (await write.LockAsync(chatId) is not { } chat || await WriteAsync(write, chat, messageId, change) is not { } written)
            {
                return false;
            }
            var movesCurrent = moveCurrent && (written.Created || !currentOnlyWhenNew);
            if (movesCurrent || !keepTime)
            {
                await TouchAsync(write, chat, messageId, movesCurrent, keepTime);
            }
            return true;
        }, cancellationToken);

    /// <summary>
    /// A streaming reply's progress: <paramref name="change"/> applied to message <paramref name="messageId"/>, whose JSON
    /// alone is written. The chat row is locked, not written, and unless <paramref name="indexText"/> the message's search
    /// text is left as it was for a later save to bring up to date: re-indexing a growing text on every progress save was
    /// most of what the database did while hundreds of replies streamed (each save of a few kilobytes re-entered every
    /// trigram).
    /// </summary>
    /// <param name="indexText">Also bring the search text (and so the index) up to date, now and then.</param>
    /// <param name="saved">
    /// The message as the caller's last save left it, or null. When it is still what the row holds (the same hash), the
    /// change is made to it and written in one round trip on PostgreSQL (<see cref="ChatWrites.TryReplaceMessageBodyAsync"/>):
    /// a reply saves its progress every half second, and hundreds stream at once. Otherwise, or when another writer
    /// changed the message meanwhile, the row is read under the chat's lock, as every change is.
    /// </param>
    /// <returns>The message as saved, for the next call; null when the chat or the message is gone.</returns>
    public async Task<StoredMessage?> SaveProgressAsync(string chatId, string messageId, Func<JsonObject?, JsonObject?> change,
        StoredMessage? saved, CancellationToken cancellationToken, bool indexText = false)
    {
        if (!indexText && saved is not null && database.IsPostgres && JsonNode.Parse(saved.Body) is JsonObject known && change(known) is { } changed)
        {
            var replacement = MessageTree.Describe(messageId, MessageTree.StripNul(changed));
            await using var connection = (Npgsql.NpgsqlConnection)await database.OpenAsync(cancellationToken);
            if (await ChatWrites.TryReplaceMessageBodyAsync(connection, chatId, saved.BodyHash, replacement, cancellationToken))
            {
                return replacement;
            }
        }
        return await ChatChange.RunAsync(database, async write =>
            await write.LockAsync(chatId) is { } chat && await WriteAsync(write, chat, messageId, change, indexText) is { } written
                ? written.Stored
                : null,
            cancellationToken);
    }

    /// <summary>
    /// A reply's first save, in one transaction: <paramref name="change"/> applied to message <paramref name="messageId"/>,
    /// which becomes the current one, added to the <c>childrenIds</c> of <paramref name="parentId"/> (when that message exists).
    /// </summary>
    public async Task<bool> StartReplyAsync(string chatId, string messageId, string? parentId, Func<JsonObject?, JsonObject?> change,
        CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async write =>
        {
            if (await write.LockAsync(chatId) is not { } chat || await WriteAsync(write, chat, messageId, change) is null)
            {
                return false;
            }
            if (parentId is not null)
            {
                // Only the parent's childrenIds change: its search text (and so the search index) stays as it is.
                await WriteAsync(write, chat, parentId, parent => WithChild(parent, messageId), indexText: false);
            }
            await TouchAsync(write, chat, messageId, moveCurrent: true, keepTime: false);
            return true;
        }, cancellationToken);

    /// <summary>One message row of the locked chat changed; null when nothing was written, else what was and whether the message is new.</summary>
    /// <param name="indexText">False to leave an existing message's search text (and so the search index) as it is.</param>
    private static async Task<MessageWrite?> WriteAsync(ChatChange write, ChatRow chat, string messageId, Func<JsonObject?, JsonObject?> change,
        bool indexText = true)
    {
        var (connection, transaction, chatId) = (write.Connection, write.Transaction, chat.Id);
        var existing = await connection.QuerySingleOrDefaultAsync<MessageBodyRow>(
            "SELECT seq, body FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId }, transaction);
        var updated = change(existing is null ? null : JsonNode.Parse(existing.Body) as JsonObject ?? new JsonObject());
        if (updated is null)
        {
            return null;
        }
        if (!chat.HasTree)
        {
            await write.AddMessageTreeAsync(chat);
        }
        var seq = existing?.Seq ?? await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE chat_id = @chatId", new { chatId }, transaction);
        var stored = MessageTree.Describe(messageId, MessageTree.StripNul(updated));
        if (existing is not null && !indexText)
        {
            await ChatWrites.WriteMessageBodyAsync(connection, transaction, chatId, stored);
            return new MessageWrite(Created: false, stored);
        }
        await ChatWrites.WriteMessagesAsync(connection, transaction, chatId, [(stored, seq)], upsert: true);
        return new MessageWrite(Created: existing is null, stored);
    }

    /// <summary>What <see cref="WriteAsync"/> wrote: whether the message is new, and its row.</summary>
    private sealed record MessageWrite(bool Created, StoredMessage Stored);

    private async Task TouchAsync(ChatChange write, ChatRow chat, string messageId, bool moveCurrent, bool keepTime)
    {
        if (moveCurrent)
        {
            chat.CurrentId = messageId;
        }
        await write.TouchAsync(chat, keepTime ? chat.UpdatedAt : clock.GetUtcNow().ToUnixTimeSeconds(), withCurrent: moveCurrent);
    }

    /// <summary>
    /// Adds <paramref name="childId"/> to the <c>childrenIds</c> of message <paramref name="parentId"/> when it is
    /// not there yet, so a message written on its own (a reply, the web client's user message) keeps the tree whole.
    /// </summary>
    public Task<bool> AddChildAsync(string chatId, string parentId, string childId, CancellationToken cancellationToken) =>
        ChangeAsync(chatId, parentId, parent => WithChild(parent, childId), moveCurrent: false, cancellationToken);

    /// <summary>The parent with <paramref name="childId"/> among its <c>childrenIds</c>; null (nothing to write) when it is missing or has it already.</summary>
    private static JsonObject? WithChild(JsonObject? parent, string childId)
    {
        if (parent is null)
        {
            return null;
        }
        if (parent["childrenIds"] is not JsonArray children)
        {
            children = new JsonArray();
            parent["childrenIds"] = children;
        }
        if (children.Any(c => MessageTree.String(c) == childId))
        {
            return null;
        }
        children.Add(childId);
        return parent;
    }

    /// <summary>
    /// The conversation up to <paramref name="messageId"/>: it and its ancestors, first message first, found through
    /// the parent links (the cost is the path's, not the chat's; a cycle a client saved ends the walk).
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> PathAsync(string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string Body)>(new CommandDefinition(
            """
            WITH RECURSIVE up (id, parent_id, body, depth) AS (
                SELECT id, parent_id, body, 0 FROM chat_messages WHERE chat_id = @chatId AND id = @messageId
                UNION ALL
                SELECT m.id, m.parent_id, m.body, up.depth + 1 FROM chat_messages m JOIN up ON m.id = up.parent_id
                WHERE m.chat_id = @chatId AND up.depth < @maxDepth
            )
            SELECT id, body FROM up ORDER BY depth DESC
            """, new { chatId, messageId, maxDepth = MaxPathLength }, cancellationToken: cancellationToken));
        var seen = new HashSet<string>();
        // Read from the end: on a cycle the walk repeats, and only the first pass (nearest the message) is kept.
        var path = rows.Reverse().TakeWhile(r => seen.Add(r.Id)).Select(r => JsonNode.Parse(r.Body) as JsonObject ?? new JsonObject()).ToList();
        path.Reverse();
        return path;
    }

    /// <summary>The longest conversation path <see cref="PathAsync"/> walks (a cycle would otherwise never end).</summary>
    private const int MaxPathLength = 10_000;

    /// <summary>One message of a chat, or null.</summary>
    public async Task<JsonObject?> GetAsync(string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var body = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT body FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId },
            cancellationToken: cancellationToken));
        return body is null ? null : JsonNode.Parse(body) as JsonObject;
    }

    /// <summary>
    /// Removes the message and its descendants, drops it from its parent's <c>childrenIds</c>, and moves
    /// <c>currentId</c> to the parent when it pointed into the removed branch.
    /// </summary>
    /// <returns>False when the chat has no such message.</returns>
    public async Task<bool> DeleteBranchAsync(string chatId, string messageId, CancellationToken cancellationToken) =>
        await ChatChange.RunAsync(database, async write =>
        {
            var (connection, transaction) = (write.Connection, write.Transaction);
            if (await write.LockAsync(chatId) is not { } chat)
            {
                return false;
            }
            var target = await connection.QuerySingleOrDefaultAsync<(string Id, string? ParentId)>(
                "SELECT id, parent_id FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId }, transaction);
            if (target.Id is null)
            {
                return false;
            }
            // Walks down from the message through the parent index: the cost is the branch's, not the chat's.
            // UNION (not UNION ALL) stops on a cycle a client may have saved.
            var removed = (await connection.QueryAsync<string>(
                """
                WITH RECURSIVE branch (id) AS (
                    SELECT @messageId
                    UNION
                    SELECT m.id FROM chat_messages m JOIN branch b ON m.parent_id = b.id WHERE m.chat_id = @chatId
                )
                SELECT id FROM branch
                """, new { chatId, messageId }, transaction)).ToHashSet();
            await ChatWrites.DetachFlatReferencesAsync(connection, transaction, chatId, removed);
            await connection.ExecuteAsync("DELETE FROM chat_messages WHERE chat_id = @chatId AND id = @id",
                removed.Select(id => new { chatId, id }), transaction);
            if (chat.CurrentId is not null && removed.Contains(chat.CurrentId))
            {
                chat.CurrentId = target.ParentId;
            }
            await write.TouchAsync(chat, clock.GetUtcNow().ToUnixTimeSeconds(), withCurrent: true);
            if (target.ParentId is { } parentId)
            {
                await RemoveChildAsync(connection, transaction, chatId, parentId, messageId);
            }
            return true;
        }, cancellationToken);

    private static async Task RemoveChildAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        string chatId, string parentId, string childId)
    {
        var parent = await connection.QuerySingleOrDefaultAsync<MessageBodyRow>(
            "SELECT seq, body FROM chat_messages WHERE chat_id = @chatId AND id = @parentId", new { chatId, parentId }, transaction);
        if (parent is null || JsonNode.Parse(parent.Body) is not JsonObject body || body["childrenIds"] is not JsonArray ids)
        {
            return;
        }
        foreach (var item in ids.Where(i => MessageTree.String(i) == childId).ToList())
        {
            ids.Remove(item);
        }
        var stored = MessageTree.Describe(parentId, body);
        await ChatWrites.WriteMessagesAsync(connection, transaction, chatId, [(stored, parent.Seq)], upsert: true);
    }

    private sealed class MessageBodyRow
    {
        public long Seq { get; set; }
        public string Body { get; set; } = "";
    }
}
