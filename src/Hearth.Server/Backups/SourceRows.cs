using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Hearth.Server.Backups;

/// <summary>What one value of a source row is, as SQLite's storage classes name them.</summary>
internal enum SourceValue : byte { Null, Integer, Real, Text, Other }

/// <summary>
/// A table's rows as migrate-db reads them, one row at a time, each value asked for as what it is: SQLite's own
/// statement (<see cref="SqliteStatementRows"/>), or any ADO.NET reader (<see cref="ReaderRows"/>).
/// </summary>
internal abstract class SourceRows : IAsyncDisposable
{
    public abstract int FieldCount { get; }

    public abstract string Name(int column);

    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    public abstract SourceValue Kind(int column);

    /// <summary>An <see cref="SourceValue.Integer"/> value.</summary>
    public abstract long Integer(int column);

    /// <summary>A <see cref="SourceValue.Real"/> value.</summary>
    public abstract double Real(int column);

    /// <summary>A <see cref="SourceValue.Text"/> value as UTF-8, good until the next call.</summary>
    public abstract ReadOnlySpan<byte> Utf8(int column);

    /// <summary>The value for an error message.</summary>
    public abstract string Describe(int column);

    public abstract ValueTask DisposeAsync();
}

/// <summary>Rows from an ADO.NET reader (a PostgreSQL source, or a SQLite one not in UTF-8), its .NET values sorted into SQLite's classes.</summary>
internal sealed class ReaderRows(DbDataReader reader) : SourceRows
{
    private byte[] _text = new byte[4096];

    public override int FieldCount => reader.FieldCount;

    public override string Name(int column) => reader.GetName(column);

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => await reader.ReadAsync(cancellationToken);

    public override SourceValue Kind(int column)
    {
        if (reader.IsDBNull(column))
        {
            return SourceValue.Null;
        }
        var type = reader.GetFieldType(column);
        return type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(bool) ? SourceValue.Integer
            : type == typeof(double) || type == typeof(float) ? SourceValue.Real
            : type == typeof(string) ? SourceValue.Text
            : SourceValue.Other;
    }

    public override long Integer(int column) =>
        reader.GetFieldType(column) == typeof(bool) ? (reader.GetBoolean(column) ? 1 : 0) : reader.GetInt64(column);

    public override double Real(int column) => reader.GetDouble(column);

    public override ReadOnlySpan<byte> Utf8(int column)
    {
        var text = reader.GetString(column);
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < most)
        {
            _text = new byte[most];
        }
        return _text.AsSpan(0, Encoding.UTF8.GetBytes(text, _text));
    }

    public override string Describe(int column) => Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture) ?? "";

    public override ValueTask DisposeAsync() => reader.DisposeAsync();
}
