using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Backups;

/// <summary>A table <c>migrate-db</c> has copied: from which source, how many rows, and their fingerprint (<see cref="BinaryCopyRows"/>).</summary>
internal sealed record MovedTable(string TableName, string Source, long RowCount, string Sha256);

/// <summary>
/// The SQL of <c>migrate_db_progress</c>, which lives in the target only while a <c>migrate-db</c> run is
/// unfinished (made with the first table's mark): a table's row is written in the transaction that copies the table, so a table is either copied and
/// marked or absent, and a rerun skips exactly the marked ones. The run drops the table when it completes.
/// </summary>
internal static class MoveProgressStore
{
    public const string Table = "migrate_db_progress";

    /// <summary>The marks of an unfinished run; none when the target never had one (the table is made with the first mark).</summary>
    public static async Task<IReadOnlyList<MovedTable>> ReadAsync(Database target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>($"SELECT to_regclass('{Table}') IS NOT NULL"))
        {
            return [];
        }
        return (await connection.QueryAsync<MovedTable>($"SELECT table_name, source, row_count, sha256 FROM {Table}")).ToList();
    }

    public static async Task MarkAsync(DbConnection connection, DbTransaction transaction, MovedTable moved, DateTimeOffset now)
    {
        await connection.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (table_name TEXT PRIMARY KEY, source TEXT NOT NULL, row_count BIGINT NOT NULL, " +
            "sha256 TEXT NOT NULL, finished_at TEXT NOT NULL)", transaction: transaction);
        await connection.ExecuteAsync(
            $"INSERT INTO {Table} (table_name, source, row_count, sha256, finished_at) VALUES (@TableName, @Source, @RowCount, @Sha256, @now)",
            new { moved.TableName, moved.Source, moved.RowCount, moved.Sha256, now = now.ToString("O") }, transaction);
    }

    public static Task ClearAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync($"DROP TABLE IF EXISTS {Table}", transaction: transaction);

    public static async Task DropAsync(Database target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
    }
}
