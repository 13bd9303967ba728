using System.Data.Common;
using System.Runtime.CompilerServices;
using Hearth.Server.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hearth.Server.Backups;

/// <summary>
/// One read-only view of the whole database for a backup, taken while Hearth serves: every table is read in the
/// same transaction, so the rows agree with each other (a write is wholly in or wholly out). SQLite keeps the
/// WAL snapshot of its first read; PostgreSQL runs REPEATABLE READ READ ONLY. Holds the backup's SQL.
/// </summary>
internal sealed class BackupSnapshot : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;

    private BackupSnapshot(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<BackupSnapshot> OpenAsync(Database database, CancellationToken cancellationToken)
    {
        // On PostgreSQL a connection of its own: pooled ones prepare what they run often, and a `SELECT *` prepared before a
        // newer Hearth on the same database added a column would no longer run.
        var connection = database.IsPostgres ? await database.OpenSessionAsync(cancellationToken) : await database.OpenAsync(cancellationToken);
        var transaction = await Database.BeginSnapshotAsync(connection, cancellationToken);
        var snapshot = new BackupSnapshot(connection, transaction);
        if (connection is NpgsqlConnection)
        {
            await using var readOnly = snapshot.Command("SET TRANSACTION READ ONLY");
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }
        return snapshot;
    }

    /// <summary>The highest migration applied (this first read fixes SQLite's snapshot); null when Hearth never set this database up.</summary>
    public async Task<int?> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = Command("SELECT MAX(version) FROM schema_migrations");
            return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (DbException) when (_connection is not NpgsqlConnection)
        {
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    /// <summary>Every row of <paramref name="table"/>, streamed (the reader holds one row at a time), in the order of <paramref name="orderBy"/>'s columns when given.</summary>
    public async Task<DbDataReader> ReadAsync(BackupTable table, CancellationToken cancellationToken, IReadOnlyList<string>? orderBy = null)
    {
        var command = Command(SelectAll(table, orderBy));
        return await command.ExecuteReaderAsync(cancellationToken);
    }

    /// <summary>
    /// Every row of <paramref name="table"/> for migrate-db, in the order of <paramref name="orderBy"/>'s columns: on a
    /// UTF-8 SQLite database (Hearth makes no other) by SQLite's own statement, each value read once as what it is.
    /// </summary>
    public async Task<SourceRows> RowsAsync(BackupTable table, IReadOnlyList<string> orderBy, CancellationToken cancellationToken)
    {
        if (_connection is SqliteConnection { Handle: { } db })
        {
            await using var encoding = Command("PRAGMA encoding");
            if (await encoding.ExecuteScalarAsync(cancellationToken) is "UTF-8")
            {
                return SqliteStatementRows.Prepare(db, SelectAll(table, orderBy));
            }
        }
        return new ReaderRows(await ReadAsync(table, cancellationToken, orderBy));
    }

    private static string SelectAll(BackupTable table, IReadOnlyList<string>? orderBy) =>
        $"SELECT * FROM \"{table.Name}\"" + (orderBy is { Count: > 0 } ? " ORDER BY " + string.Join(", ", orderBy.Select(RowInserter.Quoted)) : "");

    public async Task<long> CountAsync(BackupTable table, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT COUNT(*) FROM \"{table.Name}\"");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The file of every <c>artifact_files</c> row, in id order, for <c>migrate-db --files-to</c>.</summary>
    public async IAsyncEnumerable<StoredFile> StoredFilesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, chat_id, storage_key, sha256, mime_type FROM artifact_files ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new StoredFile(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
        }
    }

    private DbCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
