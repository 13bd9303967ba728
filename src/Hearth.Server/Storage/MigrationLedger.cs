using System.Collections.Frozen;
using System.Data.Common;
using Dapper;

namespace Hearth.Server.Storage;

/// <summary>A row of <c>schema_migrations</c>; a null hash means unknown (recorded before Hearth kept hashes).</summary>
internal sealed record AppliedMigration(int Version, string Name, string? Sha256);

/// <summary>
/// <c>schema_migrations</c>, the runner's own bookkeeping: which scripts ran, when, and the SHA-256 of each.
/// Hearth kept only version, name and time before; <see cref="PrepareAsync"/> brings such a table to the
/// current shape before anything reads it.
/// </summary>
internal static class MigrationLedger
{
    /// <summary>
    /// Versions whose script was edited on main after it had been released, on both providers: 0002 (the default
    /// list's index, twice), 0004 (the usage table renamed), 0006 (three times), 0007 (once). A database that
    /// recorded them without a hash may hold any of their versions, so their hash stays unknown rather than
    /// guessed. Every other script released before hashes has one version only, the one shipped today (the
    /// tests' pinned hashes keep it so), so its hash is known.
    /// </summary>
    private static readonly FrozenSet<int> EditedAfterRelease = FrozenSet.ToFrozenSet([2, 4, 6, 7]);

    public static async Task PrepareAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Migration> shipped)
    {
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL, sha256 TEXT NULL)",
            transaction: transaction);
        if (await HasHashColumnAsync(connection, transaction))
        {
            return;
        }
        await connection.ExecuteAsync("ALTER TABLE schema_migrations ADD COLUMN sha256 TEXT NULL", transaction: transaction);
        foreach (var migration in shipped.Where(m => !EditedAfterRelease.Contains(m.Version)))
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET sha256 = @Sha256 WHERE version = @Version", migration, transaction);
        }
    }

    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(DbConnection connection, DbTransaction transaction) =>
        // Read as a tuple: SQLite hands back INTEGER as long, which Dapper would not pass to an int parameter.
        (await connection.QueryAsync<(int Version, string Name, string? Sha256)>(
            "SELECT version, name, sha256 FROM schema_migrations ORDER BY version", transaction: transaction))
        .Select(row => new AppliedMigration(row.Version, row.Name, row.Sha256))
        .ToList();

    public static Task RecordAsync(DbConnection connection, DbTransaction transaction, Migration migration, DateTimeOffset appliedAt) =>
        connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_at, sha256) VALUES (@Version, @Name, @at, @Sha256)",
            new { migration.Version, migration.Name, at = appliedAt.ToUnixTimeSeconds(), migration.Sha256 }, transaction);

    /// <summary>Asked of the result's columns, which reads the same on SQLite and PostgreSQL.</summary>
    private static async Task<bool> HasHashColumnAsync(DbConnection connection, DbTransaction transaction)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT * FROM schema_migrations WHERE 1 = 0";
        await using var reader = await command.ExecuteReaderAsync();
        return Enumerable.Range(0, reader.FieldCount).Any(i => reader.GetName(i) == "sha256");
    }
}
