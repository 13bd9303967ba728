using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// The bare baselines for chats, on Hearth's own file and schema, behind <see cref="BareAuth"/>. Each route's
/// comment says what work it shares with the Hearth route it is compared to.
/// </summary>
internal static class BareChatRoutes
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Map(RouteGroupBuilder api, string connectionString)
    {
        // Writers queue here as Hearth's do (Database.InTransactionAsync).
        var writer = new SemaphoreSlim(1, 1);
        api.MapPost("/bare/chats/{chatId}/messages/{messageId}/event",
            (string chatId, string messageId, HttpContext http) => EventAsync(chatId, messageId, http, connectionString, writer));
        // The OFFSET design of the default list (not Hearth's work: Hearth seeks from remembered page starts):
        // the same filter, order and columns as Hearth's page, found by skipping (page - 1) * 60 index entries.
        api.MapGet("/bare/chats", async (int page, HttpContext http) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            return Results.Json(await connection.QueryAsync<BareTitle>(
                """
                SELECT id, title, updated_at AS UpdatedAt, created_at AS CreatedAt FROM chats INDEXED BY chats_default_list_idx
                WHERE user_id = @userId AND archived = 0 AND COALESCE(pinned, 0) = 0 AND folder_id IS NULL
                ORDER BY updated_at DESC, id LIMIT 60 OFFSET @skip
                """, new { userId = BareAuth.Caller(http).Id, skip = (page - 1) * 60 }));
        });
        // GET /api/v1/chats/search?text=<word>'s work: the same query (FTS5 trigram phrase over titles and
        // messages, the caller's unarchived chats, newest first, first page of 60).
        api.MapGet("/bare/chats/search", async (string text, HttpContext http) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var phrase = "\"" + text.ToLowerInvariant().Replace("\"", "\"\"") + "\"";
            return Results.Json(await connection.QueryAsync<BareTitle>(
                """
                SELECT id, title, updated_at AS UpdatedAt, created_at AS CreatedAt FROM chats c
                WHERE c.user_id = @userId AND c.archived = 0 AND (
                    c.rowid IN (SELECT rowid FROM chat_title_fts WHERE chat_title_fts MATCH @phrase)
                    OR c.id IN (SELECT m.chat_id FROM chat_message_fts f JOIN chat_messages m ON m.rowid = f.rowid WHERE chat_message_fts MATCH @phrase))
                ORDER BY updated_at DESC, id LIMIT 60 OFFSET 0
                """, new { userId = BareAuth.Caller(http).Id, phrase }));
        });
    }

    /// <summary>
    /// POST /api/v1/chats/{id}/messages/{mid}/event with <c>{"type": "message", "data": {"content": ...}}</c>, the
    /// work a chat-size-independent design must do, and no more: authenticate (cached), parse the body, check
    /// the caller owns the chat from its narrow row alone, then in one write transaction read the message row,
    /// parse it, append the content, serialise it, give the flat list's references to the message its old JSON
    /// (the flat list is stored as references, as Hearth stores it), write the message back (body, lower-cased
    /// search text, hash) with the chat row's <c>current_id</c> and <c>updated_at</c>, and, when that time moved a
    /// chat of the default list, check whether it moved within the list and count the list's version up if so.
    /// Hearth does all of this; whatever it does beyond it is what the ratio shows.
    /// </summary>
    private static async Task<IResult> EventAsync(string chatId, string messageId, HttpContext http, string connectionString, SemaphoreSlim writer)
    {
        var form = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
        if (form?["type"]?.GetValue<string>() != "message" || form["data"]?["content"]?.GetValue<string>() is not { } delta)
        {
            return Results.Json(new { detail = "only message events" }, statusCode: 400);
        }
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var chat = await connection.QuerySingleOrDefaultAsync<BareChatRow>(
            "SELECT user_id AS UserId, updated_at AS UpdatedAt, archived AS Archived, pinned AS Pinned, folder_id AS FolderId FROM chats WHERE id = @chatId",
            new { chatId });
        if (chat is null || chat.UserId != BareAuth.Caller(http).Id)
        {
            return Results.Json(new { detail = "You do not have permission to access this resource." }, statusCode: 401);
        }
        await writer.WaitAsync();
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var body = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT body FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId }, transaction);
            if (body is not null && JsonNode.Parse(body) is JsonObject message)
            {
                var content = (message["content"]?.GetValue<string>() ?? "") + delta;
                message["content"] = content;
                var updated = message.ToJsonString(Compact);
                await connection.ExecuteAsync(
                    """
                    UPDATE chat_flat_messages SET message_id = NULL, body = (SELECT m.body FROM chat_messages m
                        WHERE m.chat_id = chat_flat_messages.chat_id AND m.id = chat_flat_messages.message_id)
                    WHERE chat_id = @chatId AND message_id = @messageId
                    """, new { chatId, messageId }, transaction);
                await connection.ExecuteAsync(
                    "UPDATE chat_messages SET body = @updated, search_text = @search, body_hash = @hash WHERE chat_id = @chatId AND id = @messageId",
                    new
                    {
                        chatId, messageId, updated, search = content.ToLowerInvariant(),
                        hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(updated)), 0, 16)
                    }, transaction);
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                await connection.ExecuteAsync("UPDATE chats SET current_id = @messageId, updated_at = @now WHERE id = @chatId",
                    new { chatId, messageId, now }, transaction);
                if (now != chat.UpdatedAt && !chat.Archived && chat.Pinned != true && chat.FolderId is null)
                {
                    await CountUpIfMovedAsync(connection, transaction, chatId, chat, now);
                }
            }
            await transaction.CommitAsync();
        }
        finally
        {
            writer.Release();
        }
        return Results.Json(true);
    }

    /// <summary>The default list's version counted up when another chat comes before this one at its old or new time.</summary>
    private static async Task CountUpIfMovedAsync(SqliteConnection connection, System.Data.Common.DbTransaction transaction, string chatId, BareChatRow chat, long now)
    {
        var moved = await connection.ExecuteScalarAsync<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM chats o INDEXED BY chats_default_list_idx
                WHERE o.user_id = @userId AND o.archived = 0 AND COALESCE(o.pinned, 0) = 0 AND o.folder_id IS NULL
                  AND o.updated_at >= @low AND o.id <> @id
                  AND (o.updated_at > @old OR (o.updated_at = @old AND o.id < @id) OR o.updated_at > @new OR (o.updated_at = @new AND o.id < @id)))
            """, new { userId = chat.UserId, id = chatId, old = chat.UpdatedAt, @new = now, low = Math.Min(chat.UpdatedAt, now) }, transaction);
        if (moved)
        {
            await connection.ExecuteAsync(
                "INSERT INTO chat_list_versions (user_id, version) VALUES (@userId, 1) ON CONFLICT (user_id) DO UPDATE SET version = chat_list_versions.version + 1",
                new { userId = chat.UserId }, transaction);
        }
    }

    /// <summary>A settable class, not a record: Dapper converts SQLite's integers to the flags only through setters.</summary>
    private sealed class BareChatRow
    {
        public string UserId { get; set; } = "";
        public long UpdatedAt { get; set; }
        public bool Archived { get; set; }
        public bool? Pinned { get; set; }
        public string? FolderId { get; set; }
    }

    private sealed record BareTitle(string Id, string Title, long UpdatedAt, long CreatedAt);
}
