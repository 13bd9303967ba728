using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>One entry of <c>history.messages</c>, described for its own row.</summary>
internal sealed record StoredMessage(string Id, string? ParentId, string? Role, string? Model, long? Timestamp,
    string SearchText, string Body, string BodyHash);

/// <summary>An item of the chat's flat <c>messages</c> list: its JSON, and the id it names when it is a message.</summary>
internal sealed record FlatItem(string? MessageId, string Body, string BodyHash);

/// <summary>
/// A chat document split for storage: the rest of the document, its messages in order, and the items of its
/// flat <c>messages</c> list (null when the document has no such list).
/// </summary>
internal sealed record SplitChat(string Doc, bool HasTree, string? CurrentId, string Title, IReadOnlyList<StoredMessage> Messages,
    IReadOnlyList<FlatItem>? Flat);

/// <summary>
/// Pure rules of the message tree: splitting a chat document into rows and back, walking the current
/// branch (<c>get_message_list</c>), and the text a message is searched by.
/// </summary>
internal static class MessageTree
{
    public const string DefaultTitle = "New Chat";

    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Takes <c>history.messages</c> and the flat <c>messages</c> list out of <paramref name="chat"/> (leaving an
    /// empty object and an empty list in their places, so key order survives) and describes each message and
    /// item. The chat is not modified.
    /// </summary>
    public static SplitChat Split(JsonObject chat)
    {
        var doc = (JsonObject)StripNul(chat.DeepClone())!;
        var messages = new List<StoredMessage>();
        string? currentId = null;
        var hasTree = false;
        if (doc["history"] is JsonObject history)
        {
            currentId = history["currentId"] is JsonValue v && v.TryGetValue<string>(out var c) ? c : null;
            if (history["messages"] is JsonObject map)
            {
                hasTree = true;
                foreach (var (id, message) in map)
                {
                    messages.Add(Describe(id, message));
                }
                history["messages"] = new JsonObject();
            }
        }
        List<FlatItem>? flat = null;
        if (doc["messages"] is JsonArray list)
        {
            flat = list.Select(item =>
            {
                var body = item?.ToJsonString(Compact) ?? "null";
                return new FlatItem(String((item as JsonObject)?["id"]), body, Hash(body));
            }).ToList();
            doc["messages"] = new JsonArray();
        }
        return new SplitChat(doc.ToJsonString(Compact), hasTree, currentId, TitleOf(doc), messages, flat);
    }

    /// <summary>Open WebUI's title rule: the document's string <c>title</c>, else "New Chat".</summary>
    public static string TitleOf(JsonObject doc) =>
        doc["title"] is JsonValue v && v.TryGetValue<string>(out var title) ? title : DefaultTitle;

    public static StoredMessage Describe(string id, JsonNode? message)
    {
        var body = message?.ToJsonString(Compact) ?? "null";
        var obj = message as JsonObject;
        return new StoredMessage(id,
            String(obj?["parentId"]),
            String(obj?["role"]),
            String(obj?["model"]),
            Number(obj?["timestamp"]),
            SearchText(obj?["content"]),
            body,
            Hash(body));
    }

    /// <summary>What search matches a message by: its string content, or the text items of a content list, lower-cased.</summary>
    public static string SearchText(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text.ToLowerInvariant(),
        JsonArray items => string.Join("\n", items.OfType<JsonObject>()
            .Where(i => String(i["type"]) == "text")
            .Select(i => String(i["text"]) ?? "")).ToLowerInvariant(),
        _ => "",
    };

    /// <summary>A message's text as the reader sees it: its string content, or the text of each item of a content list, a blank line apart.</summary>
    public static string Text(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonArray items => string.Join("\n\n", items.OfType<JsonObject>().Select(i => String(i["text"])).Where(t => t is not null)),
        _ => "",
    };

    public static string Hash(string body) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 16);

    /// <summary>Removes NUL characters from every string (Open WebUI strips them on every write).</summary>
    public static JsonNode? StripNul(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    var clean = StripNul(value);
                    if (!ReferenceEquals(clean, value))
                    {
                        obj[key] = clean;
                    }
                }
                if (obj.Any(p => p.Key.Contains('\0')))
                {
                    var entries = obj.Select(p => (Key: p.Key.Replace("\0", ""), p.Value)).ToList();
                    obj.Clear();
                    foreach (var (key, value) in entries)
                    {
                        obj[key] = value;
                    }
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var value = array[i];
                    var clean = StripNul(value);
                    if (!ReferenceEquals(clean, value))
                    {
                        array[i] = clean;
                    }
                }
                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains('\0'):
                return JsonValue.Create(text.Replace("\0", ""));
            default:
                return node;
        }
    }

    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Number(JsonNode? node) => Numeric(node) is { } value ? (long)value : null;

    /// <summary>Any JSON number as a double, whether parsed from text or built in code from an int or long.</summary>
    public static double? Numeric(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }
        return value.TryGetValue<double>(out var number)
            ? number
            : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>get_message_list</c>: from <paramref name="currentId"/> up through <c>parentId</c> to the root, returned
    /// root first. Stops on a cycle (the classic code loops forever).
    /// </summary>
    public static List<T> Branch<T>(IReadOnlyDictionary<string, T> messages, string? currentId, Func<T, string?> parentOf)
    {
        var branch = new List<T>();
        if (currentId is null || !messages.TryGetValue(currentId, out var message))
        {
            return branch;
        }
        var seen = new HashSet<string>();
        var id = currentId;
        while (seen.Add(id))
        {
            branch.Add(message);
            var parent = parentOf(message);
            if (parent is null || !messages.TryGetValue(parent, out message))
            {
                break;
            }
            id = parent;
        }
        branch.Reverse();
        return branch;
    }
}
