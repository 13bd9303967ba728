using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// Open WebUI's design, for comparison (not Hearth's work): one JSON document per chat in its own SQLite file.
/// A message event reads, parses, changes and writes back the whole document (upstream's
/// <c>upsert_message_to_chat_by_id_and_message_id</c>); search scans the JSON of every chat of the user.
/// Authentication is the same cached key lookup as every bare route's.
/// </summary>
internal static class BlobBaseline
{
    public static async Task CreateAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.ExecuteAsync("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS chat (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, title TEXT NOT NULL, chat TEXT NOT NULL, updated_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS chat_user_idx ON chat (user_id, updated_at);
            """);
    }

    public static async Task InsertAsync(string connectionString, string id, string userId, JsonObject chat)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.ExecuteAsync("INSERT INTO chat (id, user_id, title, chat, updated_at) VALUES (@id, @userId, @title, @chat, 0)",
            new { id, userId, title = chat["title"]!.GetValue<string>(), chat = chat.ToJsonString() });
    }

    public static void Map(RouteGroupBuilder api, string connectionString)
    {
        var writer = new SemaphoreSlim(1, 1);
        api.MapPost("/blob/chats/{chatId}/messages/{messageId}/event", async (string chatId, string messageId, HttpContext http) =>
        {
            var form = (await JsonNode.ParseAsync(http.Request.Body))!;
            var delta = form["data"]!["content"]!.GetValue<string>();
            await writer.WaitAsync();
            try
            {
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                var text = await connection.QuerySingleOrDefaultAsync<string>("SELECT chat FROM chat WHERE id = @chatId AND user_id = @userId",
                    new { chatId, userId = BareAuth.Caller(http).Id }, transaction);
                if (text is null)
                {
                    return Results.NotFound();
                }
                var chat = JsonNode.Parse(text)!;
                if (chat["history"]!["messages"]![messageId] is JsonObject message)
                {
                    message["content"] = (message["content"]?.GetValue<string>() ?? "") + delta;
                    chat["history"]!["currentId"] = messageId;
                    await connection.ExecuteAsync("UPDATE chat SET chat = @json, updated_at = @now WHERE id = @chatId",
                        new { chatId, json = chat.ToJsonString(), now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, transaction);
                }
                await transaction.CommitAsync();
                return Results.Json(true);
            }
            finally
            {
                writer.Release();
            }
        });
        api.MapGet("/blob/chats/search", async (string text, HttpContext http) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var rows = await connection.QueryAsync<string>(
                """
                SELECT c.id FROM chat c WHERE c.user_id = @userId AND (lower(c.title) LIKE @pattern OR EXISTS (
                    SELECT 1 FROM json_each(c.chat, '$.history.messages') m
                    WHERE lower(json_extract(m.value, '$.content')) LIKE @pattern))
                ORDER BY c.updated_at DESC LIMIT 60
                """, new { userId = BareAuth.Caller(http).Id, pattern = "%" + text.ToLowerInvariant() + "%" });
            return Results.Json(rows);
        });
    }
}
