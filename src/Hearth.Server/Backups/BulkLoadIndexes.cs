using System.Data.Common;
using Dapper;
using Npgsql;

namespace Hearth.Server.Backups;

/// <summary>
/// On PostgreSQL, a table's secondary indexes (not those behind a primary key or constraint) and its foreign keys
/// dropped before its rows are copied in and made again after, in the same transaction: one build of a trigram GIN
/// index is many times faster than updating it row by row, and one check of a foreign key over the whole table
/// (the join <c>ADD CONSTRAINT</c> runs) than a lookup per row. Both are made again from their own definitions, so
/// none is missed, and a row that breaks a key still fails the copy. On SQLite nothing changes.
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
        var keys = (await connection.QueryAsync<(string Name, string Definition)>(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = format('%I', @table)::regclass AND contype = 'f'",
            new { table }, transaction)).ToList();
        await connection.ExecuteAsync("SET LOCAL maintenance_work_mem = '256MB'", transaction: transaction);
        foreach (var index in indexes)
        {
            await connection.ExecuteAsync($"DROP INDEX \"{index.Name}\"", transaction: transaction);
        }
        foreach (var key in keys)
        {
            await connection.ExecuteAsync($"ALTER TABLE \"{table}\" DROP CONSTRAINT \"{key.Name}\"", transaction: transaction);
        }
        return new BulkLoadIndexes([
            .. indexes.Select(i => i.Definition),
            .. keys.Select(k => $"ALTER TABLE \"{table}\" ADD CONSTRAINT \"{k.Name}\" {k.Definition}"),
        ]);
    }

    public async Task RebuildAsync(DbConnection connection, DbTransaction transaction)
    {
        foreach (var definition in _definitions)
        {
            await connection.ExecuteAsync(definition, transaction: transaction);
        }
    }
}
