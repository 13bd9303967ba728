using System.Data.Common;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Server.Backups;

/// <summary>
/// Inserts the rows of a chunk into the target inside the restore's transaction: a prepared INSERT on SQLite,
/// binary COPY on PostgreSQL. Values take the target column's type, so SQLite's rows fit PostgreSQL and back.
/// </summary>
internal abstract class RowInserter(DbConnection connection, DbTransaction transaction)
{
    protected DbConnection Connection => connection;
    protected DbTransaction Transaction => transaction;

    public static RowInserter For(DbConnection connection, DbTransaction transaction) =>
        connection is NpgsqlConnection ? new PostgresRowInserter(connection, transaction) : new SqliteRowInserter(connection, transaction);

    /// <returns>How many rows were inserted.</returns>
    public abstract Task<long> InsertAsync(string entry, BackupTable table, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);

    /// <summary>Each row of the chunk, parsed, with its columns checked against the chunk's first row.</summary>
    protected static IEnumerable<(string[] Columns, JsonElement Row)> Rows(string entry, ReadOnlyMemory<byte> chunk)
    {
        string[]? columns = null;
        var line = 0;
        foreach (var text in JsonLines.Split(chunk))
        {
            line++;
            using var document = JsonDocument.Parse(text);
            var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            columns ??= names;
            if (!names.SequenceEqual(columns))
            {
                throw new InvalidDataException($"{entry}, row {line}, has other columns than the rows before it.");
            }
            yield return (columns, document.RootElement);
        }
    }

    /// <summary>A table, column, index or constraint name as a quoted SQL identifier.</summary>
    internal static string Quoted(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

internal sealed class SqliteRowInserter(DbConnection connection, DbTransaction transaction) : RowInserter(connection, transaction)
{
    public override async Task<long> InsertAsync(string entry, BackupTable table, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        DbCommand? insert = null;
        long count = 0;
        try
        {
            foreach (var (columns, row) in Rows(entry, chunk))
            {
                if (insert is null)
                {
                    insert = Connection.CreateCommand();
                    insert.Transaction = Transaction;
                    insert.CommandText = $"INSERT INTO {Quoted(table.Name)} ({string.Join(", ", columns.Select(Quoted))}) " +
                                         $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
                    for (var i = 0; i < columns.Length; i++)
                    {
                        var parameter = insert.CreateParameter();
                        parameter.ParameterName = $"$p{i}";
                        insert.Parameters.Add(parameter);
                    }
                }
                var index = 0;
                foreach (var property in row.EnumerateObject())
                {
                    insert.Parameters[index++].Value = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.TryGetInt64(out var number) ? number : property.Value.GetDouble(),
                        JsonValueKind.True => 1L,
                        JsonValueKind.False => 0L,
                        JsonValueKind.Null => DBNull.Value,
                        var kind => throw new InvalidDataException($"{entry}: column {property.Name} holds a JSON {kind}."),
                    };
                }
                await insert.ExecuteNonQueryAsync(cancellationToken);
                count++;
            }
        }
        finally
        {
            if (insert is not null)
            {
                await insert.DisposeAsync();
            }
        }
        return count;
    }
}

internal sealed class PostgresRowInserter(DbConnection connection, DbTransaction transaction) : RowInserter(connection, transaction)
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _types = new();

    public override async Task<long> InsertAsync(string entry, BackupTable table, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (!_types.TryGetValue(table.Name, out var types))
        {
            _types[table.Name] = types = await RestoreStore.ColumnTypesAsync(Connection, Transaction, table.Name);
        }
        NpgsqlBinaryImporter? copy = null;
        long count = 0;
        try
        {
            foreach (var (columns, row) in Rows(entry, chunk))
            {
                copy ??= await ((NpgsqlConnection)Connection).BeginBinaryImportAsync(
                    $"COPY {Quoted(table.Name)} ({string.Join(", ", columns.Select(Quoted))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
                // The synchronous writes only fill Npgsql's buffer (it flushes as it fills); awaiting each value costs more than the copy.
                copy.StartRow();
                foreach (var property in row.EnumerateObject())
                {
                    if (!types.TryGetValue(property.Name, out var type))
                    {
                        throw new InvalidDataException($"{entry}: table {table.Name} has no column {property.Name} in this database.");
                    }
                    Write(copy, property.Value, type);
                }
                count++;
            }
            if (copy is not null)
            {
                await copy.CompleteAsync(cancellationToken);
            }
        }
        finally
        {
            if (copy is not null)
            {
                await copy.DisposeAsync();
            }
        }
        return count;
    }

    private static void Write(NpgsqlBinaryImporter copy, JsonElement value, string type)
    {
        switch (value.ValueKind, type)
        {
            case (JsonValueKind.Null, _):
                copy.WriteNull();
                break;
            case (_, "boolean"):
                copy.Write(value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.Number && value.GetInt64() != 0), NpgsqlDbType.Boolean);
                break;
            case (_, "bigint"):
                copy.Write(value.GetInt64(), NpgsqlDbType.Bigint);
                break;
            case (_, "integer"):
                copy.Write(value.GetInt32(), NpgsqlDbType.Integer);
                break;
            case (JsonValueKind.String, _):
                copy.Write(value.GetString()!, NpgsqlDbType.Text);
                break;
            default:
                copy.Write(value.GetRawText(), NpgsqlDbType.Text);
                break;
        }
    }
}
