using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Backups;

/// <summary>
/// On PostgreSQL, a table's secondary indexes (not those behind a primary key or constraint) and its foreign keys
/// dropped before its rows are copied in and made again after, in the same transaction: one build of an index is
/// many times faster than updating it row by row, and one check of a foreign key over the whole table (the join
/// <c>ADD CONSTRAINT</c> runs) than a lookup per row. Both are made again from their own definitions, so none is
/// missed, and a row that breaks a key still fails the copy. The search indexes (GIN, over trigrams) are the
/// exception: building them is most of a copy's time (10 s of 17 for 20,000 chats), and nothing needs them to be
/// correct, so they are recorded in <see cref="DeferredIndexes"/> instead, for the Hearth that starts on the
/// copy to build while it serves. On SQLite nothing changes.
/// </summary>
internal sealed class BulkLoadIndexes
{
    private readonly string _table;
    private readonly IReadOnlyList<(string Name, string Definition)> _indexes;
    private readonly IReadOnlyList<(string Name, string Definition)> _keys;

    private BulkLoadIndexes(string table, IReadOnlyList<(string Name, string Definition)> indexes, IReadOnlyList<(string Name, string Definition)> keys) =>
        (_table, _indexes, _keys) = (table, indexes, keys);

    public static async Task<BulkLoadIndexes> DropAsync(DbConnection connection, DbTransaction transaction, string table)
    {
        if (connection is not NpgsqlConnection)
        {
            return new BulkLoadIndexes(table, [], []);
        }
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = @table
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
            """, new { table }, transaction)).ToList();
        // Only the table's own keys: a key of another table that refers to this one stays (those tables come later, empty).
        var keys = (await connection.QueryAsync<(string Name, string Definition)>(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = format('%I', @table)::regclass AND contype = 'f' ORDER BY conname",
            new { table }, transaction)).ToList();
        await connection.ExecuteAsync("SET LOCAL maintenance_work_mem = '256MB'", transaction: transaction);
        foreach (var index in indexes)
        {
            await connection.ExecuteAsync($"DROP INDEX {RowInserter.Quoted(index.Name)}", transaction: transaction);
        }
        foreach (var key in keys)
        {
            await connection.ExecuteAsync($"ALTER TABLE {RowInserter.Quoted(table)} DROP CONSTRAINT {RowInserter.Quoted(key.Name)}", transaction: transaction);
        }
        return new BulkLoadIndexes(table, indexes, keys);
    }

    /// <summary>
    /// The indexes built (the search indexes recorded for later) and the keys made again; adding a key checks every
    /// row against it. No statement has a time limit: over millions of rows each takes minutes.
    /// </summary>
    /// <exception cref="InvalidDataException">A row breaks a key (the transaction then rolls back, keys and all).</exception>
    public async Task RebuildAsync(DbConnection connection, DbTransaction transaction)
    {
        foreach (var (name, definition) in _indexes)
        {
            if (definition.Contains(" USING gin ", StringComparison.Ordinal))
            {
                await DeferredIndexes.RecordAsync(connection, transaction, new DeferredIndex(name, _table, definition));
                continue;
            }
            await connection.ExecuteAsync(definition, transaction: transaction, commandTimeout: 0);
        }
        foreach (var key in _keys)
        {
            try
            {
                await connection.ExecuteAsync($"ALTER TABLE {RowInserter.Quoted(_table)} ADD CONSTRAINT {RowInserter.Quoted(key.Name)} {key.Definition}",
                    transaction: transaction, commandTimeout: 0);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new InvalidDataException($"table {_table} holds a row that breaks its key {key.Name} ({key.Definition}): " +
                                               "the row it refers to is not in the source", e);
            }
        }
    }
}
