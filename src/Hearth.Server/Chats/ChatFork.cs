using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>
/// Open WebUI 0.11's fork: a new chat holding one branch of another, from its first message down to the message
/// forked at, which becomes current. Pure: the caller reads the branch and stores the result.
/// </summary>
internal static class ChatFork
{

    /// <summary>
    /// The fork's document: the source's other keys, <c>originalChatId</c>, <c>branchPointMessageId</c>, the title
    /// "… (fork)", and the branch as <c>history</c> (each message listing only the next as its child) and as the
    /// flat <c>messages</c> list.
    /// </summary>
    /// <param name="branch">The messages from the first down to the one forked at, first first.</param>
    public static JsonObject Document(JsonObject source, string sourceId, string title, string messageId, IReadOnlyList<JsonObject> branch)
    {
        var doc = (JsonObject)source.DeepClone();
        doc.Remove("currentId");
        var history = new JsonObject();
        var flat = new JsonArray();
        for (var i = 0; i < branch.Count; i++)
        {
            var message = (JsonObject)branch[i].DeepClone();
            var id = MessageTree.String(message["id"]) ?? (i == branch.Count - 1 ? messageId : $"{messageId}-{i}");
            message["childrenIds"] = i + 1 < branch.Count && MessageTree.String(branch[i + 1]["id"]) is { } next ? new JsonArray(next) : new JsonArray();
            history[id] = message;
            flat.Add(message.DeepClone());
        }
        doc["originalChatId"] = sourceId;
        doc["branchPointMessageId"] = messageId;
        doc["title"] = $"{title} (fork)";
        doc["history"] = new JsonObject { ["messages"] = history, ["currentId"] = messageId };
        doc["messages"] = flat;
        return doc;
    }

    /// <summary>The source's meta with where the fork came from.</summary>
    public static string Meta(string sourceMeta, string sourceId, string messageId)
    {
        var meta = JsonNode.Parse(sourceMeta) as JsonObject ?? new JsonObject();
        meta["forked_from"] = sourceId;
        meta["forked_from_message_id"] = messageId;
        return meta.ToJsonString(MessageTree.Compact);
    }
}
