using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>
/// Which events persist and how (chats-api.md section 8.3). Only the short type names write; every other
/// type (the long aliases, UI-only events) is broadcast only.
/// </summary>
internal static class MessageEvents
{
    /// <summary>
    /// Most entries a message's <c>statusHistory</c> keeps, the newest: each event rewrites the message whole,
    /// so an unbounded history would make every event dearer than the one before.
    /// </summary>
    public const int MaxStatusHistory = 100;

    /// <summary>
    /// The change an event makes to its message, or null when the type does not persist. <c>KeepTime</c>: the event
    /// only attaches sources, files or embeds, which Open WebUI 0.11 does not count as the chat being updated.
    /// </summary>
    public static (Func<JsonObject?, JsonObject?> Change, bool MoveCurrent, bool KeepTime)? Persistence(string type, JsonObject data) => type switch
    {
        "status" => (existing => existing is null ? null : KeepNewest(Append(existing, "statusHistory", [data.DeepClone()]), "statusHistory", MaxStatusHistory), false, false),
        "message" => (existing => existing is null ? null : AppendContent(existing, MessageTree.String(data["content"]) ?? ""), true, false),
        "replace" => (existing => Set(existing, "content", data["content"]?.DeepClone()), true, false),
        "embeds" => (existing => Prepend(existing, "embeds", data["embeds"]), true, true),
        "files" => (existing => Prepend(existing, "files", data["files"]), true, true),
        "source" or "citation" => data.ContainsKey("type") ? null : (existing => Append(existing ?? new JsonObject(), "sources", [data.DeepClone()]), true, true),
        _ => null,
    };

    private static JsonObject Set(JsonObject? message, string key, JsonNode? value)
    {
        message ??= new JsonObject();
        message[key] = value;
        return message;
    }

    private static JsonObject AppendContent(JsonObject message, string delta) =>
        Set(message, "content", (MessageTree.String(message["content"]) ?? "") + delta);

    private static JsonObject Append(JsonObject message, string key, IEnumerable<JsonNode?> items)
    {
        if (message[key] is not JsonArray list)
        {
            list = new JsonArray();
            message[key] = list;
        }
        foreach (var item in items)
        {
            list.Add(item);
        }
        return message;
    }

    /// <summary>Drops the oldest items of the list at <paramref name="key"/> beyond <paramref name="keep"/>.</summary>
    private static JsonObject KeepNewest(JsonObject message, string key, int keep)
    {
        if (message[key] is JsonArray list && list.Count > keep)
        {
            list.RemoveRange(0, list.Count - keep);
        }
        return message;
    }

    /// <summary><c>data.X + existing X</c>: the new items first, as upstream concatenates them.</summary>
    private static JsonObject Prepend(JsonObject? message, string key, JsonNode? items)
    {
        message ??= new JsonObject();
        var result = new JsonArray();
        foreach (var item in (items as JsonArray ?? []).Concat(message[key] as JsonArray ?? []))
        {
            result.Add(item?.DeepClone());
        }
        message[key] = result;
        return message;
    }
}
