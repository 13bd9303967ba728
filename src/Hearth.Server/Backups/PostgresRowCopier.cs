using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Server.Backups;

/// <summary>
/// <c>migrate-db</c>'s rows, straight from the source's reader into a binary COPY of the PostgreSQL target: each
/// value read as the target's column takes it (SQLite's 0/1 as a boolean, anything into a text column as text),
/// with no JSON in between (shaping rows as JSON lines and parsing them back was most of the copy's CPU). The
/// SHA-256 of every value written is the table's fingerprint, which a resumed run compares: a fingerprint is
/// worked out the same way without a COPY.
/// </summary>
internal sealed class PostgresRowCopier : IDisposable
{
    /// <summary>Starts every fingerprint, so marks that an earlier way of hashing left are told apart from changed rows.</summary>
    public const string FingerprintVersion = "values-1:";

    private enum Kind : byte { Boolean = 1, BigInt, Integer, Text }

    private readonly Kind[] _kinds;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // Values gather here and are hashed a buffer at a time: hashing each small value on its own costs more than the hash.
    private readonly byte[] _pending = new byte[64 * 1024];
    private int _used;

    private readonly string _table;
    private readonly string[] _columns;

    private PostgresRowCopier(string table, string[] columns, Kind[] kinds) => (_table, _columns, _kinds) = (table, columns, kinds);

    public long Rows { get; private set; }

    /// <summary>A copier for the columns <paramref name="reader"/> gives, as the target's table <paramref name="table"/> types them.</summary>
    /// <exception cref="InvalidDataException">The target's table has no column of that name.</exception>
    public static async Task<PostgresRowCopier> ForAsync(DbConnection target, DbTransaction? transaction, string table, DbDataReader reader)
    {
        var types = await RestoreStore.ColumnTypesAsync(target, transaction, table);
        var kinds = new Kind[reader.FieldCount];
        for (var i = 0; i < kinds.Length; i++)
        {
            var name = reader.GetName(i);
            kinds[i] = types.TryGetValue(name, out var type)
                ? type switch { "boolean" => Kind.Boolean, "bigint" => Kind.BigInt, "integer" => Kind.Integer, _ => Kind.Text }
                : throw new InvalidDataException($"table {table} has no column {name} in the target database.");
        }
        return new PostgresRowCopier(table, Enumerable.Range(0, kinds.Length).Select(reader.GetName).ToArray(), kinds);
    }

    /// <summary>The COPY statement for the reader's columns, in its order.</summary>
    public string CopyStatement => $"COPY {RowInserter.Quoted(_table)} ({string.Join(", ", _columns.Select(RowInserter.Quoted))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>The reader's current row into <paramref name="copy"/> (when there is one) and into the fingerprint.</summary>
    public void Write(DbDataReader reader, NpgsqlBinaryImporter? copy)
    {
        copy?.StartRow();
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (reader.IsDBNull(i))
            {
                copy?.WriteNull();
                Hash(0);
                continue;
            }
            switch (_kinds[i])
            {
                case Kind.Boolean:
                    var flag = reader.GetFieldType(i) == typeof(bool) ? reader.GetBoolean(i) : Integer(reader, i) != 0;
                    copy?.Write(flag, NpgsqlDbType.Boolean);
                    Hash((byte)Kind.Boolean, flag ? 1 : 0);
                    break;
                case Kind.BigInt:
                    var number = Integer(reader, i);
                    copy?.Write(number, NpgsqlDbType.Bigint);
                    Hash((byte)Kind.BigInt, number);
                    break;
                case Kind.Integer:
                    var wide = Integer(reader, i);
                    var small = wide is >= int.MinValue and <= int.MaxValue ? (int)wide
                        : throw new InvalidDataException($"table {_table}, column {_columns[i]}: {wide} does not fit the target's integer column.");
                    copy?.Write(small, NpgsqlDbType.Integer);
                    Hash((byte)Kind.Integer, small);
                    break;
                default:
                    var text = reader.GetFieldType(i) == typeof(string) ? reader.GetString(i) : Text(reader.GetValue(i), i);
                    copy?.Write(text, NpgsqlDbType.Text);
                    Hash(MemoryMarshal.AsBytes(text.AsSpan()));
                    break;
            }
        }
        Rows++;
    }

    /// <summary>The fingerprint of every row written; call once, after the last.</summary>
    public string Sha256()
    {
        _hash.AppendData(_pending, 0, _used);
        _used = 0;
        return FingerprintVersion + BackupArchive.Hex(_hash.GetHashAndReset());
    }

    /// <summary>A number in a text column (SQLite keeps what it was given), as its digits; anything else is no Hearth value.</summary>
    private string Text(object value, int column) => value switch
    {
        long or int or short or double => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new InvalidDataException($"table {_table}, column {_columns[column]}, holds a {value.GetType().Name}, which migrate-db does not carry."),
    };

    /// <summary>
    /// An integer as stored, or a whole number SQLite keeps as a real. SQLite would turn text or a fraction in an
    /// integer column into a number without a word; such a row is refused instead.
    /// </summary>
    private long Integer(DbDataReader reader, int column)
    {
        var type = reader.GetFieldType(column);
        if (type == typeof(long) || type == typeof(int) || type == typeof(short))
        {
            return reader.GetInt64(column);
        }
        if (type == typeof(double) && reader.GetDouble(column) is var real && real == Math.Floor(real) && Math.Abs(real) < 9e18)
        {
            return (long)real;
        }
        throw new InvalidDataException($"table {_table}, column {_columns[column]}, holds {Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture)} " +
                                       "where the target takes an integer.");
    }

    private void Hash(byte tag, long value = 0)
    {
        Room(9);
        _pending[_used] = tag;
        BinaryPrimitives.WriteInt64LittleEndian(_pending.AsSpan(_used + 1), value);
        _used += 9;
    }

    private void Hash(ReadOnlySpan<byte> bytes)
    {
        Room(5);
        _pending[_used] = (byte)Kind.Text;
        BinaryPrimitives.WriteInt32LittleEndian(_pending.AsSpan(_used + 1), bytes.Length);
        _used += 5;
        if (bytes.Length > _pending.Length - _used)
        {
            Room(_pending.Length);
            _hash.AppendData(bytes);
            return;
        }
        bytes.CopyTo(_pending.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <summary>Hashes what is pending when fewer than <paramref name="bytes"/> are free.</summary>
    private void Room(int bytes)
    {
        if (_pending.Length - _used < bytes)
        {
            _hash.AppendData(_pending, 0, _used);
            _used = 0;
        }
    }

    public void Dispose() => _hash.Dispose();
}
