using System.Globalization;
using System.Text.Json.Nodes;

namespace Hearth.Server.KeyValue;

/// <summary>
/// An RFC 6901 JSON Pointer (<c>""</c> is the whole document, <c>/a/0/b~1c</c> walks members and indexes,
/// <c>~1</c> stands for <c>/</c> and <c>~0</c> for <c>~</c>). Pure: parses text and finds nodes.
/// </summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }
    public IReadOnlyList<string> Tokens { get; }
    public bool IsRoot => Tokens.Count == 0;
    public string LastToken => Tokens[^1];

    public static JsonPointer? Parse(string text)
    {
        if (text.Length > 0 && text[0] != '/')
        {
            return null;
        }
        var tokens = new List<string>();
        foreach (var raw in text.Length == 0 ? [] : text[1..].Split('/'))
        {
            if (Unescape(raw) is not { } token)
            {
                return null;
            }
            tokens.Add(token);
        }
        return new JsonPointer(text, tokens);
    }

    /// <summary>"~" must be followed by 0 or 1; "~01" is "~1" (unescape ~1 first would be wrong, RFC 6901 section 4).</summary>
    private static string? Unescape(string raw)
    {
        for (var i = raw.IndexOf('~'); i >= 0; i = raw.IndexOf('~', i + 1))
        {
            if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1'))
            {
                return null;
            }
        }
        return raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }

    public JsonPointer Parent() => new(Text[..Text.LastIndexOf('/')], Tokens.Take(Tokens.Count - 1).ToList());

    /// <summary>True when this pointer names an ancestor of <paramref name="other"/> (not the same location).</summary>
    public bool IsProperPrefixOf(JsonPointer other) =>
        Tokens.Count < other.Tokens.Count && Tokens.Select((token, i) => token == other.Tokens[i]).All(same => same);

    /// <summary>Finds the node at this location. A JSON null that exists is found, with a null node.</summary>
    public bool TryFind(JsonNode? root, out JsonNode? found)
    {
        found = root;
        foreach (var token in Tokens)
        {
            switch (found)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var member):
                    found = member;
                    break;
                case JsonArray array when ArrayIndex(token) is { } index && index < array.Count:
                    found = array[index];
                    break;
                default:
                    found = null;
                    return false;
            }
        }
        return true;
    }

    /// <summary>An array index token: "0" or digits without a leading zero. "-" (past the end) is not an index.</summary>
    public static int? ArrayIndex(string token)
    {
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return null;
        }
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    public override string ToString() => Text;
}
