using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Server.Common;

/// <summary>
/// A JSON value kept as the exact text it arrived as (a stored value, chat meta, tag meta): numbers, member
/// order, escapes and Unicode survive, because nothing parses it into a model and serialises it back.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed record RawJson(string Text);

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        // Kept byte for byte, so it is checked here: a half surrogate pair stored now would fail every later patch
        // or read that decodes it.
        JsonUnicode.Check(document.RootElement);
        return new RawJson(document.RootElement.GetRawText());
    }

    /// <summary>Stored text was valid JSON when it came in, so it is written without a second check.</summary>
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}
