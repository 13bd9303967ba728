using Dapper;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>The bare baseline for chats: the SQL Hearth runs for each route, hand-written, on Hearth's own file.</summary>
internal static class BareChatRoutes
{
    public static void Map(WebApplication app, string connectionString)
    {
        app.MapPost("/bare/chats/{chatId}/messages/{messageId}", async (string chatId, string messageId, HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var seq = await connection.ExecuteScalarAsync<long?>("SELECT seq FROM chat_messages WHERE chat_id = @chatId AND id = @messageId",
                new { chatId, messageId }, transaction) ?? 1_000_000;
            await connection.ExecuteAsync(
                """
                INSERT INTO chat_messages (chat_id, id, seq, parent_id, role, model, timestamp, search_text, body, body_hash)
                VALUES (@chatId, @messageId, @seq, NULL, 'assistant', NULL, NULL, @body, @body, 'x')
                ON CONFLICT (chat_id, id) DO UPDATE SET body = excluded.body, search_text = excluded.search_text, body_hash = excluded.body_hash
                """, new { chatId, messageId, seq, body }, transaction);
            await connection.ExecuteAsync("UPDATE chats SET current_id = @messageId, updated_at = @now WHERE id = @chatId",
                new { chatId, messageId, now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, transaction);
            await transaction.CommitAsync();
            return Results.Json(true);
        });
        app.MapGet("/bare/users/{userId}/chats", async (string userId, int page) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var rows = await connection.QueryAsync<BareTitle>(
                """
                SELECT id, title, updated_at AS UpdatedAt, created_at AS CreatedAt FROM chats
                WHERE user_id = @userId AND archived = 0 AND COALESCE(pinned, 0) = 0 AND folder_id IS NULL
                ORDER BY updated_at DESC, id LIMIT 60 OFFSET @skip
                """, new { userId, skip = (page - 1) * 60 });
            return Results.Json(rows);
        });
        app.MapGet("/bare/users/{userId}/search", async (string userId, string needle) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var phrase = "\"" + needle.ToLowerInvariant() + "\"";
            var rows = await connection.QueryAsync<BareTitle>(
                """
                SELECT id, title, updated_at AS UpdatedAt, created_at AS CreatedAt FROM chats c
                WHERE c.user_id = @userId AND c.archived = 0 AND (
                    c.rowid IN (SELECT rowid FROM chat_title_fts WHERE chat_title_fts MATCH @phrase)
                    OR c.id IN (SELECT m.chat_id FROM chat_message_fts f JOIN chat_messages m ON m.rowid = f.rowid WHERE chat_message_fts MATCH @phrase))
                ORDER BY updated_at DESC, id LIMIT 60
                """, new { userId, phrase });
            return Results.Json(rows);
        });
    }

    private sealed record BareTitle(string Id, string Title, long UpdatedAt, long CreatedAt);
}
