using System.Data.Common;
using Dapper;
using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>An index whose build was put off: its name, its table and the <c>CREATE INDEX</c> statement PostgreSQL gave for it.</summary>
internal sealed record DeferredIndex(string IndexName, string TableName, string Definition);

/// <summary>
/// The SQL of <c>deferred_indexes</c> (PostgreSQL only), the indexes a bulk copy left for Hearth to build once it
/// serves: <c>migrate-db</c> records a table's search indexes in the transaction that copies the table, and
/// <see cref="DeferredIndexBuilder"/> builds each one concurrently, then forgets it. The table exists only while
/// some are left, so a database made by the migrations never has it.
/// </summary>
internal static class DeferredIndexes
{
    public const string Table = "deferred_indexes";

    public static async Task RecordAsync(DbConnection connection, DbTransaction transaction, DeferredIndex index)
    {
        await connection.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (index_name TEXT PRIMARY KEY, table_name TEXT NOT NULL, definition TEXT NOT NULL)",
            transaction: transaction);
        await connection.ExecuteAsync(
            $"INSERT INTO {Table} (index_name, table_name, definition) VALUES (@IndexName, @TableName, @Definition) " +
            "ON CONFLICT (index_name) DO UPDATE SET table_name = excluded.table_name, definition = excluded.definition",
            index, transaction);
    }

    /// <summary>The indexes still to build; none when the table is not there.</summary>
    public static async Task<IReadOnlyList<DeferredIndex>> ReadAsync(DbConnection connection)
    {
        // Looked for first, so that a database without it (every one but a fresh copy) logs no error on the server.
        if (!await connection.ExecuteScalarAsync<bool>($"SELECT to_regclass('{Table}') IS NOT NULL"))
        {
            return [];
        }
        try
        {
            return (await connection.QueryAsync<DeferredIndex>(
                $"SELECT index_name, table_name, definition FROM {Table} ORDER BY index_name")).ToList();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The process building them dropped the table with the last one since it was looked for.
            return [];
        }
    }

    /// <summary>The index is built: its row goes, and the table with the last one.</summary>
    public static async Task ForgetAsync(DbConnection connection, string indexName)
    {
        await connection.ExecuteAsync($"DELETE FROM {Table} WHERE index_name = @indexName", new { indexName });
        if (!await connection.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {Table})"))
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
        }
    }
}
