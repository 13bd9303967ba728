using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Hearth.Server.Common;

/// <summary>
/// Reads request documents (<see cref="JsonObject"/>, <see cref="JsonArray"/>, <see cref="JsonNode"/>) as the
/// default converter does, then refuses what parses but cannot be kept (<see cref="JsonUnicode"/>): a 422 at
/// binding instead of a 500 mid-write. Writing is the default converter's.
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
            throw new NotUnicodeException(e);
        }
        JsonUnicode.Check(node);
        return node switch
        {
            null => null,
            T typed => typed,
            _ => throw new JsonException($"The JSON value could not be converted to {typeof(T)}."),
        };
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => value.WriteTo(writer, options);
}
