using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

/// <summary>A row of <c>user_details</c>: what a user keeps about themself beyond sign-in.</summary>
internal sealed class UserDetailsRow
{
    public string UserId { get; set; } = "";
    public string? Settings { get; set; }
    public string? Info { get; set; }
    public string? Bio { get; set; }
    public string? Gender { get; set; }
    public string? DateOfBirth { get; set; }
    public string? StatusEmoji { get; set; }
    public string? StatusMessage { get; set; }
    public long? StatusExpiresAt { get; set; }
}

/// <summary>
/// Settings, info, profile fields and status of a user (Open WebUI 0.11's self-service). Settings and info
/// change by a top-level merge read and written under the row's lock, so two tabs saving different keys keep both.
/// </summary>
internal sealed class UserDetailsStore(Database database)
{
    private const string Columns = "user_id, settings, info, bio, gender, date_of_birth, status_emoji, status_message, status_expires_at";

    public async Task<UserDetailsRow> GetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserDetailsRow>(new CommandDefinition(
            $"SELECT {Columns} FROM user_details WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken))
            ?? new UserDetailsRow { UserId = userId };
    }

    /// <summary>Merges <paramref name="posted"/>'s top-level keys into the user's <c>settings</c> or <c>info</c>; returns the result.</summary>
    public Task<JsonObject> MergeAsync(string userId, UserJsonField field, JsonObject posted, CancellationToken cancellationToken) =>
        ChangeAsync(userId, row =>
        {
            var current = (field == UserJsonField.Settings ? row.Settings : row.Info) is { } text
                ? JsonNode.Parse(text) as JsonObject ?? new JsonObject()
                : new JsonObject();
            foreach (var (key, value) in posted)
            {
                current[key] = value?.DeepClone();
            }
            var json = current.ToJsonString();
            if (field == UserJsonField.Settings)
            {
                row.Settings = json;
            }
            else
            {
                row.Info = json;
            }
            return current;
        }, cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the user's row (made when missing) under its lock and saves it.</summary>
    public Task<T> ChangeAsync<T>(string userId, Func<UserDetailsRow, T> change, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO user_details (user_id) VALUES (@userId) ON CONFLICT (user_id) DO NOTHING",
                new { userId }, transaction);
            var row = await connection.QuerySingleAsync<UserDetailsRow>(
                $"SELECT {Columns} FROM user_details WHERE user_id = @userId{connection.ForUpdate()}", new { userId }, transaction);
            var result = change(row);
            await SaveAsync(connection, transaction, row);
            return result;
        }, cancellationToken);

    private static Task SaveAsync(DbConnection connection, DbTransaction transaction, UserDetailsRow row) =>
        connection.ExecuteAsync(
            """
            UPDATE user_details SET settings = @Settings, info = @Info, bio = @Bio, gender = @Gender, date_of_birth = @DateOfBirth,
                status_emoji = @StatusEmoji, status_message = @StatusMessage, status_expires_at = @StatusExpiresAt
            WHERE user_id = @UserId
            """, row, transaction);
}

internal enum UserJsonField
{
    Settings,
    Info,
}
