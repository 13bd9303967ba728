using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

/// <summary>Run-time settings as JSON text by name, in <c>server_settings</c>.</summary>
internal sealed class SettingsStore(Database database, TimeProvider clock)
{
    public async Task<Dictionary<string, string>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Value)>(
            new CommandDefinition("SELECT key, value FROM server_settings", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Key, r => r.Value);
    }

    public async Task WriteAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var (key, value) in values)
            {
                await WriteAsync(connection, transaction, key, value);
            }
            return true;
        }, cancellationToken);

    public Task WriteAsync(DbConnection connection, DbTransaction transaction, string key, string value) =>
        connection.ExecuteAsync(
            """
            INSERT INTO server_settings (key, value, updated_at) VALUES (@key, @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            new { key, value, now = clock.GetUtcNow().ToUnixTimeSeconds() }, transaction);
}
