using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Hearth.Server.Backups;

/// <summary>
/// A table's rows read by SQLite's own statement on the snapshot's connection (so inside its read transaction):
/// each value is asked for once, as what it is, and text comes as the UTF-8 SQLite stores. Through ADO.NET's reader
/// every value took several calls into SQLite (null? which type? the text, its length) and a decode to a string
/// that the COPY then encoded back; that was most of migrate-db's own CPU.
/// </summary>
internal sealed class SqliteStatementRows : SourceRows
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private SqliteStatementRows(sqlite3 db, sqlite3_stmt statement, int fields) => (_db, _statement, FieldCount) = (db, statement, fields);

    public override int FieldCount { get; }

    /// <exception cref="SqliteException">SQLite refused the statement.</exception>
    public static SqliteStatementRows Prepare(sqlite3 db, string sql)
    {
        var code = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (code != raw.SQLITE_OK)
        {
            statement?.Dispose();
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), code);
        }
        return new SqliteStatementRows(db, statement, raw.sqlite3_column_count(statement));
    }

    public override string Name(int column) => raw.sqlite3_column_name(_statement, column).utf8_to_string();

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return raw.sqlite3_step(_statement) switch
        {
            raw.SQLITE_ROW => ValueTask.FromResult(true),
            raw.SQLITE_DONE => ValueTask.FromResult(false),
            var code => throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), code),
        };
    }

    public override SourceValue Kind(int column) => raw.sqlite3_column_type(_statement, column) switch
    {
        raw.SQLITE_NULL => SourceValue.Null,
        raw.SQLITE_INTEGER => SourceValue.Integer,
        raw.SQLITE_FLOAT => SourceValue.Real,
        raw.SQLITE_TEXT => SourceValue.Text,
        _ => SourceValue.Other,
    };

    public override long Integer(int column) => raw.sqlite3_column_int64(_statement, column);

    public override double Real(int column) => raw.sqlite3_column_double(_statement, column);

    // A text value's bytes as stored, without conversion: the snapshot reads this way only a UTF-8 database.
    public override ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    public override string Describe(int column) => Kind(column) switch
    {
        SourceValue.Integer => Integer(column).ToString(CultureInfo.InvariantCulture),
        SourceValue.Real => Real(column).ToString(CultureInfo.InvariantCulture),
        SourceValue.Text => Encoding.UTF8.GetString(Utf8(column)),
        SourceValue.Null => "null",
        _ => $"a blob of {raw.sqlite3_column_bytes(_statement, column)} bytes",
    };

    public override ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }
}
