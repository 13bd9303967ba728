using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Server.Chats;

/// <summary>
/// A chat document as stored: the rest of the document, its message rows and its flat <c>messages</c> list.
/// Serialises back into the document the client sent (message bodies are written verbatim, never re-parsed),
/// with <c>history.currentId</c> taken from its own column.
/// </summary>
[JsonConverter(typeof(ChatDocumentConverter))]
internal sealed record ChatDocument(string Doc, bool HasTree, string? CurrentId, ChatContent Content);

internal sealed class ChatDocumentConverter : JsonConverter<ChatDocument>
{
    public override ChatDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Chat documents are read as JsonObject.");

    public override void Write(Utf8JsonWriter writer, ChatDocument value, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.Parse(value.Doc);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.RootElement.WriteTo(writer);
            return;
        }
        writer.WriteStartObject();
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.NameEquals("history") && property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName(property.Name);
                WriteHistory(writer, property.Value, value);
            }
            else if (property.NameEquals("messages") && property.Value.ValueKind == JsonValueKind.Array && value.Content.Flat.Count > 0)
            {
                WriteFlatList(writer, value.Content);
            }
            else
            {
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteHistory(Utf8JsonWriter writer, JsonElement history, ChatDocument value)
    {
        writer.WriteStartObject();
        var wroteCurrent = false;
        foreach (var property in history.EnumerateObject())
        {
            if (property.NameEquals("messages") && value.HasTree)
            {
                writer.WriteStartObject("messages");
                foreach (var (id, body) in value.Content.Messages)
                {
                    writer.WritePropertyName(id);
                    writer.WriteRawValue(body, skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            else if (property.NameEquals("currentId"))
            {
                WriteCurrent(writer, value.CurrentId);
                wroteCurrent = true;
            }
            else
            {
                property.WriteTo(writer);
            }
        }
        if (!wroteCurrent && value.CurrentId is not null)
        {
            WriteCurrent(writer, value.CurrentId);
        }
        writer.WriteEndObject();
    }

    /// <summary>The flat list: a referenced message's JSON as stored, or the item's own.</summary>
    private static void WriteFlatList(Utf8JsonWriter writer, ChatContent content)
    {
        var bodies = content.Flat.Any(i => i.MessageId is not null)
            ? content.Messages.ToDictionary(m => m.Id, m => m.Body)
            : null;
        writer.WriteStartArray("messages");
        foreach (var item in content.Flat)
        {
            // A reference always has its message (references take the JSON before a message changes or goes).
            var body = item.MessageId is { } id ? bodies!.GetValueOrDefault(id) : item.Body;
            writer.WriteRawValue(body ?? "null", skipInputValidation: true);
        }
        writer.WriteEndArray();
    }

    private static void WriteCurrent(Utf8JsonWriter writer, string? currentId)
    {
        if (currentId is null)
        {
            writer.WriteNull("currentId");
        }
        else
        {
            writer.WriteString("currentId", currentId);
        }
    }
}
