using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;

namespace Hearth.Server.Chats;

/// <summary>The SQL every write path shares: inserting a chat with its messages, and keeping <c>chat_tags</c> in step with <c>meta.tags</c>.</summary>
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
        IReadOnlyList<StoredMessage> messages)
    {
        await connection.ExecuteAsync(
            $"""
            INSERT INTO chats ({ChatRow.Columns})
            VALUES (@Id, @UserId, @OwnerId, @Title, @SearchTitle, @Doc, @HasTree, @CurrentId, @Meta, @FolderId, @ShareId,
                    @Archived, @Pinned, @CreatedAt, @UpdatedAt)
            """, row, transaction);
        await WriteMessagesAsync(connection, transaction, row.Id, messages.Select((m, i) => (m, (long)i + 1)), upsert: false);
        await SyncTagsAsync(connection, transaction, row.Id, row.UserId, row.Meta);
    }

    public static Task WriteMessagesAsync(DbConnection connection, DbTransaction transaction, string chatId,
        IEnumerable<(StoredMessage Message, long Seq)> messages, bool upsert) =>
        connection.ExecuteAsync(upsert ? UpsertMessage : InsertMessage, messages.Select(x => new
        {
            ChatId = chatId, x.Message.Id, x.Seq, x.Message.ParentId, x.Message.Role, x.Message.Model,
            x.Message.Timestamp, x.Message.SearchText, x.Message.Body, x.Message.BodyHash,
        }), transaction);

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
