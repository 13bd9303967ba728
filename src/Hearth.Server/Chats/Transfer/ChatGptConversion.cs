using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

/// <summary>An import entry turned into Hearth's terms: the chat document and the row's own fields.</summary>
internal sealed record ImportedChat(JsonObject Chat, long? CreatedAt, long? UpdatedAt, bool Archived, bool Pinned, JsonObject Meta);

/// <summary>
/// Converts one conversation of a ChatGPT data export (<c>conversations.json</c>) into an Open WebUI chat
/// document. ChatGPT keeps a tree in <c>mapping</c> (node → parent, children, message); every branch is kept:
/// nodes without a visible message (the root, hidden system prompts) are skipped and their children
/// re-attached to the nearest kept ancestor.
/// </summary>
internal static class ChatGptConversion
{
    public static bool Looks(JsonObject entry) => entry["mapping"] is JsonObject;

    /// <exception cref="FormatException">The entry is not a conversation Hearth can read.</exception>
    public static ImportedChat Convert(JsonObject conversation)
    {
        if (conversation["mapping"] is not JsonObject mapping)
        {
            throw new FormatException("no 'mapping' object");
        }
        var created = Seconds(conversation["create_time"]);
        var updated = Seconds(conversation["update_time"]) ?? created;
        var kept = mapping.Where(p => Visible(p.Value)).Select(p => p.Key).ToHashSet();
        string? KeptAncestor(string? id)
        {
            var seen = new HashSet<string>();
            while (id is not null && seen.Add(id) && !kept.Contains(id))
            {
                id = MessageTree.String(mapping[id]?["parent"]);
            }
            return id is not null && kept.Contains(id) ? id : null;
        }

        var messages = new JsonObject();
        var children = kept.ToDictionary(id => id, _ => new List<string>());
        foreach (var (id, node) in mapping)
        {
            if (!kept.Contains(id))
            {
                continue;
            }
            var parent = KeptAncestor(MessageTree.String(node!["parent"]));
            if (parent is not null)
            {
                children[parent].Add(id);
            }
            messages[id] = Message(id, parent, node["message"]!.AsObject(), created);
        }
        foreach (var (id, list) in children)
        {
            messages[id]!["childrenIds"] = new JsonArray(list.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        }
        var current = KeptAncestor(MessageTree.String(conversation["current_node"]))
                      ?? kept.Where(id => children[id].Count == 0).LastOrDefault();
        var models = messages.Select(p => MessageTree.String(p.Value!["model"])).OfType<string>().Distinct().ToList();
        var title = MessageTree.String(conversation["title"]) is { Length: > 0 } t ? t : MessageTree.DefaultTitle;
        var chat = new JsonObject
        {
            ["title"] = title,
            ["models"] = new JsonArray(models.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            ["history"] = new JsonObject { ["messages"] = messages, ["currentId"] = current },
            ["messages"] = Branch(messages, current),
            ["timestamp"] = (long)((created ?? 0) * 1000),
        };
        return new ImportedChat(chat, (long?)created, (long?)updated, Archived: conversation["is_archived"] is JsonValue a && a.TryGetValue<bool>(out var archived) && archived,
            Pinned: false, Meta: new JsonObject());
    }

    private static bool Visible(JsonNode? node) =>
        node?["message"] is JsonObject message
        && MessageTree.String(message["author"]?["role"]) is "user" or "assistant" or "system" or "tool"
        && !(message["metadata"]?["is_visually_hidden_from_conversation"] is JsonValue hidden && hidden.TryGetValue<bool>(out var h) && h);

    private static JsonObject Message(string id, string? parent, JsonObject message, double? fallbackTime)
    {
        var role = MessageTree.String(message["author"]?["role"])!;
        var result = new JsonObject
        {
            ["id"] = id,
            ["parentId"] = parent,
            ["childrenIds"] = new JsonArray(),
            ["role"] = role == "tool" ? "assistant" : role,
            ["content"] = Text(message["content"]),
            ["timestamp"] = (long)(Seconds(message["create_time"]) ?? fallbackTime ?? 0),
        };
        if (role is "assistant" or "tool" && MessageTree.String(message["metadata"]?["model_slug"]) is { } model)
        {
            result["model"] = model;
            result["modelName"] = model;
            result["done"] = true;
        }
        return result;
    }

    /// <summary>The readable text of a ChatGPT content object: its string parts, or its <c>text</c>.</summary>
    public static string Text(JsonNode? content)
    {
        if (content is not JsonObject obj)
        {
            return "";
        }
        if (obj["parts"] is JsonArray parts)
        {
            return string.Join("\n", parts.Select(p => MessageTree.String(p) ?? MessageTree.String(p?["text"])).OfType<string>());
        }
        return MessageTree.String(obj["text"]) ?? MessageTree.String(obj["result"]) ?? "";
    }

    private static JsonArray Branch(JsonObject messages, string? current)
    {
        var map = messages.ToDictionary(p => p.Key, p => p.Value!.AsObject());
        var branch = MessageTree.Branch(map, current, m => MessageTree.String(m["parentId"]));
        return new JsonArray(branch.Select(m => (JsonNode)m.DeepClone()).ToArray());
    }

    private static double? Seconds(JsonNode? node) => MessageTree.Numeric(node);
}
