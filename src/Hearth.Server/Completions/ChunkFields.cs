using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Completions;

/// <summary>
/// The few fields of an OpenAI stream chunk that Hearth acts on: the first choice's <c>delta.content</c>,
/// <c>delta.tool_calls</c> and <c>finish_reason</c>, and the chunk's <c>usage</c>. Read in one pass over the
/// chunk's UTF-8 bytes without building a tree of it, because a saved stream reads every chunk and relays its
/// bytes as they came: only the rare parts Hearth keeps (tool-call deltas, usage) become <see cref="JsonNode"/>s.
/// The whole chunk is still checked to be JSON (a <see cref="JsonException"/> otherwise), as parsing it was.
/// A field of another type than OpenAI's (a number for <c>content</c>, an object for <c>choices</c>) is absent.
/// </summary>
internal readonly record struct ChunkFields(string? Content, string? FinishReason, JsonArray? ToolCalls, JsonObject? Usage)
{
    /// <exception cref="JsonException">The chunk is not one well-formed JSON value.</exception>
    public static ChunkFields Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var fields = new ChunkFields();
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    fields = ReadChoices(ref reader, fields);
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    fields = reader.TokenType == JsonTokenType.StartObject ? fields with { Usage = (JsonObject)JsonNode.Parse(ref reader)! } : Skipped(ref reader, fields);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }
        // Anything after the value is an error, as it was for a parser of the whole text.
        while (reader.Read())
        {
        }
        return fields;
    }

    /// <summary>Moves to the next property name of the object being read; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static ChunkFields Skipped(ref Utf8JsonReader reader, ChunkFields fields)
    {
        reader.Skip();
        return fields;
    }

    /// <summary>The first choice's fields; the other choices are skipped.</summary>
    private static ChunkFields ReadChoices(ref Utf8JsonReader reader, ChunkFields fields)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Skipped(ref reader, fields);
        }
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (first && reader.TokenType == JsonTokenType.StartObject)
            {
                fields = ReadChoice(ref reader, fields);
            }
            else
            {
                reader.Skip();
            }
            first = false;
        }
        return fields;
    }

    private static ChunkFields ReadChoice(ref Utf8JsonReader reader, ChunkFields fields)
    {
        while (NextProperty(ref reader))
        {
            var isDelta = reader.ValueTextEquals("delta"u8);
            var isFinishReason = !isDelta && reader.ValueTextEquals("finish_reason"u8);
            reader.Read();
            if (isDelta && reader.TokenType == JsonTokenType.StartObject)
            {
                fields = ReadDelta(ref reader, fields);
            }
            else if (isFinishReason && reader.TokenType == JsonTokenType.String)
            {
                fields = fields with { FinishReason = reader.GetString() };
            }
            else
            {
                reader.Skip();
            }
        }
        return fields;
    }

    private static ChunkFields ReadDelta(ref Utf8JsonReader reader, ChunkFields fields)
    {
        while (NextProperty(ref reader))
        {
            var isContent = reader.ValueTextEquals("content"u8);
            var isToolCalls = !isContent && reader.ValueTextEquals("tool_calls"u8);
            reader.Read();
            if (isContent && reader.TokenType == JsonTokenType.String)
            {
                fields = fields with { Content = reader.GetString() };
            }
            else if (isToolCalls && reader.TokenType == JsonTokenType.StartArray)
            {
                fields = fields with { ToolCalls = (JsonArray)JsonNode.Parse(ref reader)! };
            }
            else
            {
                reader.Skip();
            }
        }
        return fields;
    }
}
