using System.Data.Common;
using System.Globalization;

namespace Hearth.Server.Backups;

/// <summary>
/// <c>migrate-db</c>'s rows, straight from the source into the binary COPY of the PostgreSQL target
/// (<see cref="BinaryCopyRows"/>): each value read as the target's column takes it (SQLite's 0/1 as a boolean, a
/// number into a text column as its digits), with nothing in between. A value the target's column cannot hold
/// stops the copy, naming the table and the column.
/// </summary>
internal sealed class PostgresRowCopier
{
    private enum Kind : byte { Boolean, BigInt, Integer, Text }

    private readonly string _table;
    private readonly string[] _columns;
    private readonly Kind[] _kinds;

    private PostgresRowCopier(string table, string[] columns, Kind[] kinds) => (_table, _columns, _kinds) = (table, columns, kinds);

    /// <summary>A copier for the columns <paramref name="rows"/> gives, as the target's table <paramref name="table"/> types them.</summary>
    /// <exception cref="InvalidDataException">The target's table has no column of that name.</exception>
    public static async Task<PostgresRowCopier> ForAsync(DbConnection target, DbTransaction? transaction, string table, SourceRows rows)
    {
        var types = await RestoreStore.ColumnTypesAsync(target, transaction, table);
        var columns = Enumerable.Range(0, rows.FieldCount).Select(rows.Name).ToArray();
        var kinds = columns.Select(name => types.TryGetValue(name, out var type)
            ? type switch { "boolean" => Kind.Boolean, "bigint" => Kind.BigInt, "integer" => Kind.Integer, _ => Kind.Text }
            : throw new InvalidDataException($"table {table} has no column {name} in the target database.")).ToArray();
        return new PostgresRowCopier(table, columns, kinds);
    }

    /// <summary>The COPY statement for the source's columns, in its order.</summary>
    public string CopyStatement => $"COPY {RowInserter.Quoted(_table)} ({string.Join(", ", _columns.Select(RowInserter.Quoted))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>The source's current row into <paramref name="copy"/>.</summary>
    /// <exception cref="InvalidDataException">A value the target's column cannot hold.</exception>
    public void Write(SourceRows rows, BinaryCopyRows copy)
    {
        copy.StartRow(_kinds.Length);
        for (var i = 0; i < _kinds.Length; i++)
        {
            var value = rows.Kind(i);
            if (value == SourceValue.Null)
            {
                copy.Null();
                continue;
            }
            switch (_kinds[i])
            {
                case Kind.Boolean:
                    copy.Boolean(Integer(rows, value, i) != 0);
                    break;
                case Kind.BigInt:
                    copy.BigInt(Integer(rows, value, i));
                    break;
                case Kind.Integer:
                    var wide = Integer(rows, value, i);
                    copy.Integer(wide is >= int.MinValue and <= int.MaxValue ? (int)wide
                        : throw Refused(i, $"{wide} does not fit the target's integer column"));
                    break;
                default:
                    Text(rows, value, i, copy);
                    break;
            }
        }
    }

    /// <summary>Text as it is; a number (SQLite keeps what it was given) as its digits; anything else is no Hearth value.</summary>
    private void Text(SourceRows rows, SourceValue value, int column, BinaryCopyRows copy)
    {
        switch (value)
        {
            case SourceValue.Text:
                var text = rows.Utf8(column);
                copy.Text(BinaryCopyRows.IsStorableText(text) ? text
                    : throw Refused(column, "holds text that is not valid UTF-8 or holds a NUL character, which PostgreSQL's text cannot store"));
                break;
            case SourceValue.Integer:
                copy.Text(rows.Integer(column).ToString(CultureInfo.InvariantCulture));
                break;
            case SourceValue.Real:
                copy.Text(rows.Real(column).ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw Refused(column, $"holds {Shown(rows, column)}, which migrate-db does not carry");
        }
    }

    /// <summary>
    /// An integer as stored, or a whole number SQLite keeps as a real. SQLite would turn text or a fraction in an
    /// integer column into a number without a word; such a row is refused instead.
    /// </summary>
    private long Integer(SourceRows rows, SourceValue value, int column)
    {
        if (value == SourceValue.Integer)
        {
            return rows.Integer(column);
        }
        if (value == SourceValue.Real && rows.Real(column) is var real && real == Math.Floor(real) && Math.Abs(real) < 9e18)
        {
            return (long)real;
        }
        throw Refused(column, $"holds {Shown(rows, column)} where the target takes an integer");
    }

    private InvalidDataException Refused(int column, string problem) => new($"table {_table}, column {_columns[column]}, {problem}.");

    /// <summary>The value for an error message, cut short: a whole message's text would bury the message.</summary>
    private static string Shown(SourceRows rows, int column) => rows.Describe(column) is var text && text.Length > 80 ? text[..77] + "..." : text;
}
