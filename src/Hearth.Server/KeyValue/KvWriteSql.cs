using System.Data.Common;
using Dapper;

namespace Hearth.Server.KeyValue;

/// <summary>
/// The SQL of one write transaction. On PostgreSQL the artifact row is locked (FOR UPDATE) before it is
/// read, so a read-modify-write cannot interleave with another; SQLite's BEGIN IMMEDIATE already excludes
/// every other writer.
/// </summary>
internal sealed class KvWriteSql(DbConnection connection, DbTransaction transaction, bool postgres)
{
    public const string Columns = "owner_id, key, value, version, size, created_at, updated_at, updated_by";

    public Task<KvRow?> LockAsync(KvAddress address) =>
        connection.QuerySingleOrDefaultAsync<KvRow?>(
            $"SELECT {Columns} FROM artifacts WHERE owner_id = @Owner AND key = @Key" + (postgres ? " FOR UPDATE" : ""),
            new { address.Owner, address.Key }, transaction);

    /// <returns>False when another transaction created the key first (PostgreSQL only): lock it and decide again.</returns>
    public async Task<bool> TryInsertAsync(KvRow row) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO artifacts (owner_id, key, user_id, value, version, size, created_at, updated_at, updated_by)
            VALUES (@OwnerId, @Key, @UserId, @Value, @Version, @Size, @CreatedAt, @UpdatedAt, @UpdatedBy)
            ON CONFLICT (owner_id, key) DO NOTHING
            """,
            new
            {
                row.OwnerId,
                row.Key,
                UserId = KvAddress.UserOf(row.OwnerId),
                row.Value,
                row.Version,
                row.Size,
                row.CreatedAt,
                row.UpdatedAt,
                row.UpdatedBy
            }, transaction) == 1;

    /// <summary>Value and version change in one statement, so no reader ever sees one without the other.</summary>
    public async Task UpdateAsync(KvRow row)
    {
        var changed = await connection.ExecuteAsync(
            """
            UPDATE artifacts SET value = @Value, version = @Version, size = @Size, updated_at = @UpdatedAt, updated_by = @UpdatedBy
            WHERE owner_id = @OwnerId AND key = @Key AND version = @Version - 1
            """, row, transaction);
        if (changed != 1)
        {
            throw new InvalidOperationException($"Artifact {row.Key} changed while its write transaction held it.");
        }
    }

    public Task DeleteAsync(KvAddress address) =>
        connection.ExecuteAsync("DELETE FROM artifacts WHERE owner_id = @Owner AND key = @Key",
            new { address.Owner, address.Key }, transaction);

    /// <returns>The namespace's stored bytes after adding <paramref name="delta"/>.</returns>
    public Task<long> AddUsageAsync(string owner, long delta) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO artifact_usage (owner_id, user_id, bytes) VALUES (@owner, @userId, @delta)
            ON CONFLICT (owner_id) DO UPDATE SET bytes = artifact_usage.bytes + excluded.bytes
            RETURNING bytes
            """, new { owner, userId = KvAddress.UserOf(owner), delta }, transaction);

    /// <summary>PostgreSQL delivers a NOTIFY only if and when the transaction commits: exactly the changes that happened.</summary>
    public Task NotifyAsync(string channel, string payload) =>
        connection.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel, payload }, transaction);
}
