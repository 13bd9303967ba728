using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Hearth.Server.Chats;

/// <summary>
/// The SQL every write path shares: inserting a chat with its messages, writing messages and the flat
/// <c>messages</c> list, and keeping <c>chat_tags</c> in step with <c>meta.tags</c>.
/// </summary>
internal static class ChatWrites
{
    private const string InsertMessage =
        """
        INSERT INTO chat_messages (chat_id, id, seq, parent_id, role, model, timestamp, search_text, body, body_hash)
        VALUES (@ChatId, @Id, @Seq, @ParentId, @Role, @Model, @Timestamp, @SearchText, @Body, @BodyHash)
        """;

    private const string UpsertMessage = InsertMessage +
        """

        ON CONFLICT (chat_id, id) DO UPDATE SET seq = excluded.seq, parent_id = excluded.parent_id, role = excluded.role,
            model = excluded.model, timestamp = excluded.timestamp, search_text = excluded.search_text,
            body = excluded.body, body_hash = excluded.body_hash
        """;

    public static async Task InsertChatAsync(DbConnection connection, DbTransaction transaction, ChatRow row,
        IReadOnlyList<StoredMessage> messages, IReadOnlyList<FlatItem>? flat)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO chats (id, user_id, owner_id, title, search_title, doc, has_tree, current_id, meta, folder_id, share_id,
                               archived, pinned, created_at, updated_at, last_read_at)
            VALUES (@Id, @UserId, @OwnerId, @Title, @SearchTitle, @Doc, @HasTree, @CurrentId, @Meta, @FolderId, @ShareId,
                    @Archived, @Pinned, @CreatedAt, @UpdatedAt, @UpdatedAt)
            """, row, transaction);
        await WriteMessagesAsync(connection, transaction, row.Id, messages.Select((m, i) => (m, (long)i + 1)), upsert: false);
        if (flat is not null)
        {
            var hashes = messages.ToDictionary(m => m.Id, m => m.BodyHash);
            await WriteFlatListAsync(connection, transaction, row.Id, flat, hashes.GetValueOrDefault, fresh: true);
        }
        await SyncTagsAsync(connection, transaction, row.Id, row.UserId, row.Meta);
    }

    /// <summary>
    /// Inserts or (<paramref name="upsert"/>) replaces message rows. References of the flat list to a message
    /// being replaced take its old JSON first: the list keeps what was saved in it, as a document would.
    /// </summary>
    public static async Task WriteMessagesAsync(DbConnection connection, DbTransaction transaction, string chatId,
        IEnumerable<(StoredMessage Message, long Seq)> messages, bool upsert)
    {
        var rows = messages.ToList();
        if (upsert)
        {
            await DetachFlatReferencesAsync(connection, transaction, chatId, rows.Select(r => r.Message.Id));
        }
        await connection.ExecuteAsync(upsert ? UpsertMessage : InsertMessage, rows.Select(x => new
        {
            ChatId = chatId, x.Message.Id, x.Seq, x.Message.ParentId, x.Message.Role, x.Message.Model,
            x.Message.Timestamp, x.Message.SearchText, x.Message.Body, x.Message.BodyHash,
        }), transaction);
    }

    /// <summary>
    /// Replaces an existing message's JSON and nothing else of its row: not its search text, so no index over it is
    /// touched (on SQLite the FTS trigger fires only when <c>search_text</c> is set; on PostgreSQL the row can be
    /// updated in place, its GIN index left alone). The flat list's references to it keep its old JSON, as in
    /// <see cref="WriteMessagesAsync"/>.
    /// </summary>
    public static async Task WriteMessageBodyAsync(DbConnection connection, DbTransaction transaction, string chatId, StoredMessage message)
    {
        await DetachFlatReferencesAsync(connection, transaction, chatId, [message.Id]);
        await connection.ExecuteAsync("UPDATE chat_messages SET body = @Body, body_hash = @BodyHash WHERE chat_id = @chatId AND id = @Id",
            new { chatId, message.Id, message.Body, message.BodyHash }, transaction);
    }

    /// <summary>
    /// <see cref="WriteMessageBodyAsync"/> in one round trip on PostgreSQL, for a message whose row still holds the JSON
    /// of <paramref name="expectedHash"/>: the chat row is locked first, as by every change (so the lock order holds), then
    /// the flat list's references detached and the JSON replaced, all three in one implicit transaction (a batch ends
    /// with one Sync). False, with nothing changed, when the row holds something else or is gone.
    /// </summary>
    public static async Task<bool> TryReplaceMessageBodyAsync(NpgsqlConnection connection, string chatId, string expectedHash,
        StoredMessage message, CancellationToken cancellationToken)
    {
        static NpgsqlBatchCommand Command(string sql, params object[] values)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            return command;
        }
        const string Unchanged = "EXISTS (SELECT 1 FROM chat_messages m WHERE m.chat_id = $1 AND m.id = $2 AND m.body_hash = $3)";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("SELECT 1 FROM chats WHERE id = $1 FOR NO KEY UPDATE", chatId),
                Command($"""
                    UPDATE chat_flat_messages SET message_id = NULL, body = (SELECT m.body FROM chat_messages m
                        WHERE m.chat_id = chat_flat_messages.chat_id AND m.id = chat_flat_messages.message_id)
                    WHERE chat_id = $1 AND message_id = $2 AND {Unchanged}
                    """, chatId, message.Id, expectedHash),
                Command("UPDATE chat_messages SET body = $4, body_hash = $5 WHERE chat_id = $1 AND id = $2 AND body_hash = $3",
                    chatId, message.Id, expectedHash, message.Body, message.BodyHash),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[2].RecordsAffected == 1;
    }

    /// <summary>The flat list's references to these messages become copies of their JSON as stored now (before a change or a delete).</summary>
    public static Task DetachFlatReferencesAsync(DbConnection connection, DbTransaction transaction, string chatId, IEnumerable<string> messageIds) =>
        connection.ExecuteAsync(
            """
            UPDATE chat_flat_messages SET message_id = NULL, body = (SELECT m.body FROM chat_messages m
                WHERE m.chat_id = chat_flat_messages.chat_id AND m.id = chat_flat_messages.message_id)
            WHERE chat_id = @chatId AND message_id = @id
            """, messageIds.Select(id => new { chatId, id }), transaction);

    /// <summary>
    /// Stores the flat <c>messages</c> list: an item equal to its message as stored (<paramref name="storedHash"/>
    /// of its id) as a reference, any other verbatim. Only positions that differ from the stored list are written.
    /// </summary>
    public static async Task WriteFlatListAsync(DbConnection connection, DbTransaction transaction, string chatId,
        IReadOnlyList<FlatItem> items, Func<string, string?> storedHash, bool fresh)
    {
        var wanted = items.Select((item, i) => item.MessageId is { } id && storedHash(id) == item.BodyHash
            ? new FlatItemRow { Pos = i, MessageId = id }
            : new FlatItemRow { Pos = i, Body = item.Body }).ToList();
        var stored = fresh ? new Dictionary<long, FlatItemRow>() : (await connection.QueryAsync<FlatItemRow>(
            "SELECT pos, message_id, body FROM chat_flat_messages WHERE chat_id = @chatId", new { chatId }, transaction))
            .ToDictionary(r => r.Pos);
        var changed = wanted.Where(w => !stored.TryGetValue(w.Pos, out var s) || !s.SameAs(w)).ToList();
        await connection.ExecuteAsync(
            """
            INSERT INTO chat_flat_messages (chat_id, pos, message_id, body) VALUES (@chatId, @Pos, @MessageId, @Body)
            ON CONFLICT (chat_id, pos) DO UPDATE SET message_id = excluded.message_id, body = excluded.body
            """, changed.Select(w => new { chatId, w.Pos, w.MessageId, w.Body }), transaction);
        if (stored.Count > wanted.Count)
        {
            await connection.ExecuteAsync("DELETE FROM chat_flat_messages WHERE chat_id = @chatId AND pos >= @count",
                new { chatId, count = (long)wanted.Count }, transaction);
        }
    }

    /// <summary>Rebuilds the chat's rows in <c>chat_tags</c> from its <c>meta.tags</c>.</summary>
    public static async Task SyncTagsAsync(DbConnection connection, DbTransaction transaction, string chatId, string userId, string meta)
    {
        await connection.ExecuteAsync("DELETE FROM chat_tags WHERE chat_id = @chatId", new { chatId }, transaction);
        var tags = TagsOf(meta);
        if (tags.Count > 0)
        {
            await connection.ExecuteAsync(
                "INSERT INTO chat_tags (chat_id, tag_id, user_id) VALUES (@chatId, @tag, @userId) ON CONFLICT DO NOTHING",
                tags.Select(tag => new { chatId, tag, userId }), transaction);
        }
    }

    public static List<string> TagsOf(string meta) =>
        JsonNode.Parse(meta) is JsonObject obj && obj["tags"] is JsonArray tags
            ? tags.Select(MessageTree.String).OfType<string>().Distinct().ToList()
            : [];

    public static string WithTags(string meta, IEnumerable<string> tags)
    {
        var obj = JsonNode.Parse(meta) as JsonObject ?? new JsonObject();
        obj["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        return obj.ToJsonString(MessageTree.Compact);
    }
}
