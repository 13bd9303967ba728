using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Backups;

/// <summary>A table <c>migrate-db</c> has copied: from which source, how many rows, and the SHA-256 of their JSON lines.</summary>
internal sealed record MovedTable(string TableName, string Source, long RowCount, string Sha256);

/// <summary>
/// The SQL of <c>migrate_db_progress</c>, which lives in the target only while a <c>migrate-db</c> run is
/// unfinished: a table's row is written in the transaction that copies the table, so a table is either copied and
/// marked or absent, and a rerun skips exactly the marked ones. The run drops the table when it completes.
/// </summary>
internal static class MoveProgressStore
{
    public const string Table = "migrate_db_progress";

    public static async Task<IReadOnlyList<MovedTable>> ReadAsync(Database target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (table_name TEXT PRIMARY KEY, source TEXT NOT NULL, row_count BIGINT NOT NULL, " +
            "sha256 TEXT NOT NULL, finished_at TEXT NOT NULL)");
        return (await connection.QueryAsync<MovedTable>($"SELECT table_name, source, row_count, sha256 FROM {Table}")).ToList();
    }

    public static Task MarkAsync(DbConnection connection, DbTransaction transaction, MovedTable moved, DateTimeOffset now) =>
        connection.ExecuteAsync(
            $"INSERT INTO {Table} (table_name, source, row_count, sha256, finished_at) VALUES (@TableName, @Source, @RowCount, @Sha256, @now)",
            new { moved.TableName, moved.Source, moved.RowCount, moved.Sha256, now = now.ToString("O") }, transaction);

    public static Task ClearAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync($"DELETE FROM {Table}", transaction: transaction);

    public static async Task DropAsync(Database target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
    }
}
