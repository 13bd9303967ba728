using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Hearth.Server.Common;

/// <summary>
/// Reads request documents (<see cref="JsonObject"/>, <see cref="JsonArray"/>, <see cref="JsonNode"/>) as the
/// default converter does, then refuses text that is not Unicode: JSON lets a string escape half of a
/// surrogate pair (<c>"\ud800"</c>), which parses but cannot be written again, so a document holding one would
/// fail later, mid-write, as a 500. Refused here it is a 422 at binding, before anything is written.
/// </summary>
internal sealed class WellFormedJsonNodeConverter<T> : JsonConverter<T> where T : JsonNode
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(ref reader, new JsonNodeOptions { PropertyNameCaseInsensitive = false });
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException(NotUnicode, e);
        }
        Check(node);
        return node switch
        {
            null => null,
            T typed => typed,
            _ => throw new JsonException($"The JSON value could not be converted to {typeof(T)}."),
        };
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => value.WriteTo(writer, options);

    public const string NotUnicode = "Input holds a string that is not valid Unicode (half of a surrogate pair).";

    private static void Check(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Check(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Check(child);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    value.GetValue<string>();
                }
                catch (InvalidOperationException e)
                {
                    throw new JsonException(NotUnicode, e);
                }
                break;
        }
    }
}
