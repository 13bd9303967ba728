using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Common;

/// <summary>
/// JSON lets a string escape half of a surrogate pair (<c>"\ud800"</c>): it parses, but it is not Unicode and
/// cannot be written again, so a document holding one fails later, mid-write, as a 500. Request documents are
/// checked here when they come in and refused as a 422 before anything is written.
/// </summary>
internal static class JsonUnicode
{
    /// <summary>Whether <paramref name="error"/> is this check's refusal (then <see cref="Issue"/> describes it).</summary>
    public static bool IsNotUnicode(JsonException error) => error is NotUnicodeException;

    /// <summary>The 422 item for such text, in FastAPI's words for it.</summary>
    public static ValidationIssue Issue(IReadOnlyList<object> loc) =>
        new("string_unicode", loc, ErrorMessages.StringNotUnicode, null);

    public static bool IsNul(JsonException error) => error is NulInStringException;

    /// <summary>The 422 item for a string holding U+0000, in the body or in the query string.</summary>
    public static ValidationIssue NulIssue(IReadOnlyList<object> loc) => new("value_error", loc, ErrorMessages.NulInString, null);

    /// <summary>
    /// <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>, then <see cref="Check(JsonNode?)"/>:
    /// half a surrogate pair anywhere, also in a member name (read while duplicates are looked for), is a
    /// <see cref="JsonException"/> that <see cref="IsNotUnicode"/> recognises.
    /// </summary>
    public static JsonNode? Parse(string text, JsonDocumentOptions options)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: options);
        }
        catch (InvalidOperationException e)
        {
            throw new NotUnicodeException(e);
        }
        Check(node);
        return node;
    }

    /// <exception cref="JsonException">
    /// A string or member name holds half of a surrogate pair, or an object names a member twice (which
    /// <see cref="JsonObject"/> refuses only when it is first read).
    /// </exception>
    public static void Check(JsonNode? node)
    {
        try
        {
            Walk(node);
        }
        catch (InvalidOperationException e)
        {
            throw new NotUnicodeException(e);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(ErrorMessages.DuplicateMember, e);
        }
    }

    /// <exception cref="JsonException">A string or member name holds half of a surrogate pair.</exception>
    public static void Check(JsonElement element)
    {
        try
        {
            Walk(element);
        }
        catch (InvalidOperationException e)
        {
            throw new NotUnicodeException(e);
        }
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Walk(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Walk(child);
                }
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                value.GetValue<string>();
                break;
        }
    }

    private static void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    _ = member.Name;
                    Walk(member.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
                break;
            case JsonValueKind.String:
                element.GetString();
                break;
        }
    }
}

/// <summary>
/// The refusals of <see cref="JsonUnicode"/> and <see cref="NulFreeStringConverter"/> as types of their own: the
/// serialiser passes a converter's <see cref="JsonException"/> on as it is (adding the path), so the error handler
/// tells them apart by type, never by the text of a message.
/// </summary>
internal sealed class NotUnicodeException(Exception? inner = null) : JsonException(ErrorMessages.NotUnicode, inner);

/// <inheritdoc cref="NotUnicodeException"/>
internal sealed class NulInStringException() : JsonException(ErrorMessages.HoldsNul);
