using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Converts one conversation of a ChatGPT data export (<c>conversations.json</c>) into an Open WebUI chat
/// document. ChatGPT keeps a tree in <c>mapping</c> (node → parent, children, message); every branch is kept:
/// nodes without a visible message (the root, hidden system prompts) are skipped and their children
/// re-attached to the nearest kept ancestor. One assistant turn is several nodes in ChatGPT (a tool call, the
/// tool's output, thoughts, the answer): a chain of assistant and tool nodes without branches becomes one
/// assistant message (<see cref="ChatGptTurn"/>), with the intermediate steps as Open WebUI's details blocks.
/// </summary>
internal static class ChatGptConversion
{
    public static bool Looks(JsonObject entry) => entry.ContainsKey("mapping");

    /// <exception cref="FormatException">The entry is not a conversation Hearth can read; the message names the export's field.</exception>
    public static ImportedChat Convert(JsonObject conversation, long now)
    {
        if (conversation["mapping"] is not JsonObject mapping)
        {
            throw new FormatException("'mapping' is not an object");
        }
        var created = Seconds(conversation, "create_time");
        var updated = Seconds(conversation, "update_time") ?? created;
        var kept = mapping.Where(p => Visible(p.Key, p.Value)).Select(p => p.Key).ToHashSet();
        string? KeptAncestor(string? id)
        {
            var seen = new HashSet<string>();
            while (id is not null && seen.Add(id) && !kept.Contains(id))
            {
                id = MessageTree.String(mapping[id]?["parent"]);
            }
            return id is not null && kept.Contains(id) ? id : null;
        }

        // Kept nodes in the order of the mapping, each with its nearest kept parent and its kept children.
        var parents = new Dictionary<string, string?>();
        var children = kept.ToDictionary(id => id, _ => new List<string>());
        foreach (var (id, _) in mapping.Where(p => kept.Contains(p.Key)))
        {
            var parent = KeptAncestor(MessageTree.String(mapping[id]!["parent"]));
            parents[id] = parent;
            if (parent is not null)
            {
                children[parent].Add(id);
            }
        }
        // A node continues its parent's turn when both are the assistant's side and the parent has no other child.
        bool Continues(string id) => parents[id] is { } parent && AssistantSide(mapping, id) && AssistantSide(mapping, parent) && children[parent].Count == 1;
        string Head(string id)
        {
            while (Continues(id))
            {
                id = parents[id]!;
            }
            return id;
        }

        var messages = new JsonObject();
        var files = new List<ImportedFile>();
        var fallbackTime = (long)(created ?? updated ?? now);
        foreach (var id in parents.Keys.Where(id => !Continues(id)))
        {
            var turn = new List<JsonObject> { Node(mapping, id) };
            var tail = id;
            while (children[tail] is [var next] && Continues(next))
            {
                turn.Add(Node(mapping, next));
                tail = next;
            }
            var (message, turnFiles) = ChatGptTurn.Build(id, turn, fallbackTime);
            message["parentId"] = parents[id] is { } parent ? Head(parent) : null;
            message["childrenIds"] = new JsonArray(children[tail].Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
            messages[id] = message;
            files.AddRange(turnFiles);
        }
        var current = KeptAncestor(MessageTree.String(conversation["current_node"])) is { } node ? Head(node) : null;
        current ??= messages.Where(p => p.Value!["childrenIds"]!.AsArray().Count == 0).Select(p => p.Key).LastOrDefault();
        var models = messages.Select(p => MessageTree.String(p.Value!["model"])).OfType<string>().Distinct().ToList();
        var title = MessageTree.String(conversation["title"]) is { Length: > 0 } t ? t : MessageTree.DefaultTitle;
        var chat = new JsonObject
        {
            ["title"] = title,
            ["models"] = new JsonArray(models.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            ["history"] = new JsonObject { ["messages"] = messages, ["currentId"] = current },
            ["messages"] = Branch(messages, current),
            ["timestamp"] = fallbackTime * 1000,
        };
        return new ImportedChat(chat, (long?)created, (long?)updated, Archived: conversation["is_archived"] is JsonValue a && a.TryGetValue<bool>(out var archived) && archived,
            Pinned: false, Meta: new JsonObject())
        { Files = files };
    }

    private static JsonObject Node(JsonObject mapping, string id) => mapping[id]!["message"]!.AsObject();

    private static bool AssistantSide(JsonObject mapping, string id) => Role(Node(mapping, id)) is "assistant" or "tool";

    public static string? Role(JsonObject message) => MessageTree.String(message["author"]?["role"]);

    private static bool Visible(string id, JsonNode? node)
    {
        if (node is not JsonObject || node["message"] is null)
        {
            return false;
        }
        if (node["message"] is not JsonObject message)
        {
            throw new FormatException($"mapping['{id}'].message is not an object");
        }
        if (Role(message) is not { } role)
        {
            throw new FormatException($"mapping['{id}'].message has no author.role");
        }
        return role is "user" or "assistant" or "system" or "tool"
               && !(message["metadata"]?["is_visually_hidden_from_conversation"] is JsonValue hidden && hidden.TryGetValue<bool>(out var h) && h);
    }

    private static JsonArray Branch(JsonObject messages, string? current)
    {
        var map = messages.ToDictionary(p => p.Key, p => p.Value!.AsObject());
        var branch = MessageTree.Branch(map, current, m => MessageTree.String(m["parentId"]));
        return new JsonArray(branch.Select(m => (JsonNode)m.DeepClone()).ToArray());
    }

    /// <summary>A time in seconds (ChatGPT writes fractional seconds); null when absent, an error naming the field when not a number.</summary>
    public static double? Seconds(JsonObject owner, string field) => owner[field] switch
    {
        null => null,
        var node when MessageTree.Numeric(node) is { } value => value,
        _ => throw new FormatException($"'{field}' is not a number of seconds"),
    };
}
