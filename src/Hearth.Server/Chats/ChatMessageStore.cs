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
    /// <c>history.currentId</c> at it.
    /// </summary>
    /// <returns>False when the chat does not exist or nothing was written.</returns>
    public async Task<bool> ChangeAsync(string chatId, string messageId, Func<JsonObject?, JsonObject?> change, bool moveCurrent,
        CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var hasTree = await connection.QuerySingleOrDefaultAsync<bool?>(
                $"SELECT has_tree FROM chats WHERE id = @chatId{connection.ForUpdate()}", new { chatId }, transaction);
            if (hasTree is null)
            {
                return false;
            }
            var existing = await connection.QuerySingleOrDefaultAsync<MessageBodyRow>(
                "SELECT seq, body FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId }, transaction);
            var updated = change(existing is null ? null : JsonNode.Parse(existing.Body) as JsonObject ?? new JsonObject());
            if (updated is null)
            {
                return false;
            }
            if (hasTree == false)
            {
                await AddTreeAsync(connection, transaction, chatId);
            }
            var seq = existing?.Seq ?? await connection.ExecuteScalarAsync<long>(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE chat_id = @chatId", new { chatId }, transaction);
            var stored = MessageTree.Describe(messageId, MessageTree.StripNul(updated));
            await ChatWrites.WriteMessagesAsync(connection, transaction, chatId, [(stored, seq)], upsert: true);
            await connection.ExecuteAsync(moveCurrent
                ? "UPDATE chats SET current_id = @messageId, updated_at = @now WHERE id = @chatId"
                : "UPDATE chats SET updated_at = @now WHERE id = @chatId",
                new { chatId, messageId, now = clock.GetUtcNow().ToUnixTimeSeconds() }, transaction);
            return true;
        }, cancellationToken);

    /// <summary>One message of a chat, or null.</summary>
    public async Task<JsonObject?> GetAsync(string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var body = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT body FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId },
            cancellationToken: cancellationToken));
        return body is null ? null : JsonNode.Parse(body) as JsonObject;
    }

    /// <summary>A chat created without <c>history.messages</c> gets them (once), so message rows have a place on read.</summary>
    private static async Task AddTreeAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string chatId)
    {
        var doc = await connection.QuerySingleAsync<string>("SELECT doc FROM chats WHERE id = @chatId", new { chatId }, transaction);
        var obj = JsonNode.Parse(doc) as JsonObject ?? new JsonObject();
        if (obj["history"] is not JsonObject history)
        {
            history = new JsonObject();
            obj["history"] = history;
        }
        history["messages"] = new JsonObject();
        await connection.ExecuteAsync("UPDATE chats SET doc = @doc, has_tree = TRUE WHERE id = @chatId",
            new { chatId, doc = obj.ToJsonString(MessageTree.Compact) }, transaction);
    }

    /// <summary>
    /// Removes the message and its descendants, drops it from its parent's <c>childrenIds</c>, and moves
    /// <c>currentId</c> to the parent when it pointed into the removed branch.
    /// </summary>
    /// <returns>False when the chat has no such message.</returns>
    public async Task<bool> DeleteBranchAsync(string chatId, string messageId, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.QuerySingleOrDefaultAsync<string>(
                $"SELECT id FROM chats WHERE id = @chatId{connection.ForUpdate()}", new { chatId }, transaction) is null)
            {
                return false;
            }
            var links = (await connection.QueryAsync<(string Id, string? ParentId)>(
                "SELECT id, parent_id FROM chat_messages WHERE chat_id = @chatId", new { chatId }, transaction)).ToList();
            var target = links.FirstOrDefault(l => l.Id == messageId);
            if (target.Id is null)
            {
                return false;
            }
            var children = links.Where(l => l.ParentId is not null).ToLookup(l => l.ParentId!, l => l.Id);
            var removed = new HashSet<string>();
            var pending = new Stack<string>([messageId]);
            while (pending.TryPop(out var id))
            {
                if (removed.Add(id))
                {
                    foreach (var child in children[id])
                    {
                        pending.Push(child);
                    }
                }
            }
            await connection.ExecuteAsync("DELETE FROM chat_messages WHERE chat_id = @chatId AND id = @id",
                removed.Select(id => new { chatId, id }), transaction);
            var currentId = await connection.QuerySingleAsync<string?>("SELECT current_id FROM chats WHERE id = @chatId", new { chatId }, transaction);
            var newCurrent = currentId is not null && removed.Contains(currentId) ? target.ParentId : currentId;
            await connection.ExecuteAsync("UPDATE chats SET current_id = @newCurrent, updated_at = @now WHERE id = @chatId",
                new { chatId, newCurrent, now = clock.GetUtcNow().ToUnixTimeSeconds() }, transaction);
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
