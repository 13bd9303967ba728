using System.Data.Common;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Hearth.Server.Backups;

/// <summary>
/// A row as one line of JSON, the same whichever database it came from: column names as keys, text as strings,
/// integers as numbers, booleans as true/false (SQLite's 0/1 turned back by the table's list of boolean columns).
/// </summary>
internal static class RowJson
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static void Write(Utf8JsonWriter json, DbDataReader reader, BackupTable table)
    {
        json.WriteStartObject();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            json.WritePropertyName(name);
            var value = reader.GetValue(i);
            switch (value)
            {
                case DBNull:
                    json.WriteNullValue();
                    break;
                case bool flag:
                    json.WriteBooleanValue(flag);
                    break;
                case long or int or short when table.Booleans.Contains(name):
                    json.WriteBooleanValue(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0);
                    break;
                case long number:
                    json.WriteNumberValue(number);
                    break;
                case int number:
                    json.WriteNumberValue(number);
                    break;
                case short number:
                    json.WriteNumberValue(number);
                    break;
                case double number:
                    json.WriteNumberValue(number);
                    break;
                case string text:
                    json.WriteStringValue(text);
                    break;
                case var other:
                    throw new InvalidOperationException($"Column {table.Name}.{name} holds a {other.GetType().Name}, which backups do not carry.");
            }
        }
        json.WriteEndObject();
    }
}
