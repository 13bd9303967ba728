using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Server.Common;

/// <summary>
/// Reads every string member of a request (names, e-mails, passwords, keys, titles...) as the default
/// converter does, then refuses one holding U+0000: PostgreSQL's text cannot hold it (a 500 mid-write), and
/// no name or credential needs it. Free-form documents (<c>JsonNode</c>, artifact values) are not read
/// through here: they keep U+0000 as a JSON escape, or the chats layer strips it as Open WebUI does.
/// Writing is the default converter's.
/// </summary>
internal sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>Dictionary keys are strings too, and a custom converter must read and write them itself.</summary>
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);

    private static string? Checked(string? text) =>
        text is not null && text.Contains('\0') ? throw new NulInStringException() : text;
}
