using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>
/// The pure rules of saving a chat (POST /{id}) over a stored one, after Open WebUI's <c>merge_history</c>: a
/// client's copy may predate messages another writer saved (a second tab, a reply streaming in the
/// background), so a posted <c>history</c> is merged into the stored one, never put in its place.
/// </summary>
internal static class HistoryMerge
{
    /// <summary>
    /// The stored <c>history</c> object with the posted one's keys laid over it. A posted <c>messages</c> that
    /// is not an object, or a posted history that is not an object, leaves the stored messages as they are.
    /// </summary>
    public static JsonNode? Overlay(JsonNode? stored, JsonNode? posted)
    {
        if (stored is not JsonObject history)
        {
            return posted?.DeepClone();
        }
        var merged = (JsonObject)history.DeepClone();
        if (posted is not JsonObject overlay)
        {
            return merged;
        }
        foreach (var (key, value) in overlay)
        {
            if (key == "messages" && merged["messages"] is JsonObject && value is not JsonObject)
            {
                continue;
            }
            merged[key] = value?.DeepClone();
        }
        return merged;
    }

    /// <summary>
    /// True when the stored version of an assistant message must survive a posted one: while it is still
    /// being generated (stored <c>done: false</c>) a save must not undo what the stream wrote, and a copy
    /// taken while it was (posted <c>done: false</c>) must not replace the finished reply.
    /// </summary>
    public static bool KeepsStoredReply(string storedBody, string postedBody) => IsUnfinished(storedBody) || IsUnfinished(postedBody);

    private static bool IsUnfinished(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("done", out var done)
            && done.ValueKind == JsonValueKind.False;
    }

    /// <summary>
    /// <paramref name="message"/> with <paramref name="children"/> it does not list yet appended to its
    /// <c>childrenIds</c> (made when missing), or null when it lists them all or its <c>childrenIds</c> is not a list.
    /// </summary>
    public static StoredMessage? WithChildren(StoredMessage message, IEnumerable<string> children)
    {
        if (JsonNode.Parse(message.Body) is not JsonObject body)
        {
            return null;
        }
        if (body["childrenIds"] is not JsonArray listed)
        {
            if (body.ContainsKey("childrenIds"))
            {
                return null;
            }
            listed = new JsonArray();
            body["childrenIds"] = listed;
        }
        var known = listed.Select(MessageTree.String).OfType<string>().ToHashSet();
        var added = false;
        foreach (var child in children)
        {
            if (known.Add(child))
            {
                listed.Add(child);
                added = true;
            }
        }
        return added ? MessageTree.Describe(message.Id, body) : null;
    }

    /// <summary>
    /// Which message is current after the save: the one the client named when it exists (posted or stored),
    /// else the stored choice when that still exists, else none.
    /// </summary>
    public static string? CurrentId(bool named, string? posted, string? stored, Func<string, bool> exists) =>
        named && posted is not null && exists(posted) ? posted
        : stored is not null && exists(stored) ? stored
        : null;
}
