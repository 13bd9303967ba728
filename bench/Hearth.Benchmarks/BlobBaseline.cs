using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// Open WebUI's design, for comparison: one JSON blob per chat. A message write reads, parses, changes and
/// writes back the whole document; search scans the JSON of every chat of the user.
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

    public static void Map(WebApplication app, string connectionString)
    {
        app.MapPost("/blob/chats/{chatId}/messages/{messageId}", async (string chatId, string messageId, HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var text = await connection.QuerySingleAsync<string>("SELECT chat FROM chat WHERE id = @chatId", new { chatId }, transaction);
            var chat = JsonNode.Parse(text)!;
            var message = chat["history"]!["messages"]![messageId] as JsonObject ?? new JsonObject();
            message["content"] = body["data"]!["content"]!.DeepClone();
            if (message.Parent is null)
            {
                chat["history"]!["messages"]![messageId] = message;
            }
            chat["history"]!["currentId"] = messageId;
            await connection.ExecuteAsync("UPDATE chat SET chat = @json, updated_at = @now WHERE id = @chatId",
                new { chatId, json = chat.ToJsonString(), now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, transaction);
            await transaction.CommitAsync();
            return Results.Json(true);
        });
        app.MapGet("/blob/users/{userId}/search", async (string userId, string needle) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var rows = await connection.QueryAsync<string>(
                """
                SELECT c.id FROM chat c WHERE c.user_id = @userId AND (lower(c.title) LIKE @pattern OR EXISTS (
                    SELECT 1 FROM json_each(c.chat, '$.history.messages') m
                    WHERE lower(json_extract(m.value, '$.content')) LIKE @pattern))
                ORDER BY c.updated_at DESC LIMIT 60
                """, new { userId, pattern = "%" + needle.ToLowerInvariant() + "%" });
            return Results.Json(rows);
        });
    }
}
