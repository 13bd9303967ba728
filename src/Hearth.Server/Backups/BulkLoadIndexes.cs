using System.Data.Common;
using Dapper;
using Npgsql;

namespace Hearth.Server.Backups;

/// <summary>
/// On PostgreSQL, a table's secondary indexes (not those behind a primary key or constraint) dropped before its
/// rows are copied in and built again after, in the same transaction: one build of a trigram GIN index is many times
/// faster than updating it row by row. The indexes are rebuilt from their own definitions, so none is missed. On
/// SQLite nothing changes.
/// </summary>
internal sealed class BulkLoadIndexes
{
    private readonly IReadOnlyList<string> _definitions;

    private BulkLoadIndexes(IReadOnlyList<string> definitions) => _definitions = definitions;

    public static async Task<BulkLoadIndexes> DropAsync(DbConnection connection, DbTransaction transaction, string table)
    {
        if (connection is not NpgsqlConnection)
        {
            return new BulkLoadIndexes([]);
        }
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = @table
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
            """, new { table }, transaction)).ToList();
        await connection.ExecuteAsync("SET LOCAL maintenance_work_mem = '256MB'", transaction: transaction);
        foreach (var index in indexes)
        {
            await connection.ExecuteAsync($"DROP INDEX \"{index.Name}\"", transaction: transaction);
        }
        return new BulkLoadIndexes(indexes.Select(i => i.Definition).ToList());
    }

    public async Task RebuildAsync(DbConnection connection, DbTransaction transaction)
    {
        foreach (var definition in _definitions)
        {
            await connection.ExecuteAsync(definition, transaction: transaction);
        }
    }
}
