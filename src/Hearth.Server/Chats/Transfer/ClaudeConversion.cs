using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Converts one conversation of a Claude.ai data export (<c>conversations.json</c>: <c>uuid</c>, <c>name</c>,
/// <c>chat_messages</c> with <c>sender</c> and <c>content</c> blocks) into an Open WebUI chat document. Thinking,
/// tool use and tool results become details blocks of the assistant message; attachments' extracted text and
/// the artifacts Claude wrote become artifact files of their messages. Messages follow
/// <c>parent_message_uuid</c> where the export has it (edits and retries are branches), else the list's order.
/// </summary>
internal static class ClaudeConversion
{
    /// <summary>Claude's exports carry no model name; the chat names where it came from instead.</summary>
    public const string Model = "claude.ai";

    public static bool Looks(JsonObject entry) => entry.ContainsKey("chat_messages");

    /// <exception cref="FormatException">The entry is not a conversation Hearth can read; the message names the export's field.</exception>
    public static ImportedChat Convert(JsonObject conversation, long now)
    {
        if (conversation["chat_messages"] is not JsonArray list)
        {
            throw new FormatException("'chat_messages' is not a list");
        }
        var created = Time(conversation, "created_at");
        var updated = Time(conversation, "updated_at") ?? created;
        var fallbackTime = created ?? updated ?? now;
        var entries = list.Select((node, i) => node as JsonObject ?? throw new FormatException($"chat_messages[{i}] is not an object")).ToList();
        var ids = entries.Select((m, i) => MessageTree.String(m["uuid"]) ?? throw new FormatException($"chat_messages[{i}] has no 'uuid'")).ToList();
        var known = ids.ToHashSet();

        var messages = new JsonObject();
        var files = new List<ImportedFile>();
        var artifacts = new Dictionary<string, string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var parent = entry.ContainsKey("parent_message_uuid")
                ? MessageTree.String(entry["parent_message_uuid"]) is { } p && known.Contains(p) ? p : null
                : i > 0 ? ids[i - 1] : null;
            var role = MessageTree.String(entry["sender"]) switch
            {
                "human" => "user",
                "assistant" => "assistant",
                _ => throw new FormatException($"chat_messages[{i}].sender is neither 'human' nor 'assistant'"),
            };
            var message = new JsonObject
            {
                ["id"] = ids[i],
                ["parentId"] = parent,
                ["childrenIds"] = new JsonArray(),
                ["role"] = role,
                ["content"] = Content(entry, ids[i], files, artifacts),
                ["timestamp"] = Time(entry, "created_at", $"chat_messages[{i}].") ?? fallbackTime,
            };
            if (role == "assistant")
            {
                message["model"] = Model;
                message["modelName"] = Model;
                message["done"] = true;
            }
            messages[ids[i]] = message;
            Attachments(entry, ids[i], files);
        }
        foreach (var (id, message) in messages)
        {
            if (MessageTree.String(message!["parentId"]) is { } parent)
            {
                messages[parent]!["childrenIds"]!.AsArray().Add(id);
            }
        }
        var current = ids.LastOrDefault();
        var branch = MessageTree.Branch(messages.ToDictionary(p => p.Key, p => p.Value!.AsObject()), current, m => MessageTree.String(m["parentId"]));
        var title = MessageTree.String(conversation["name"]) is { Length: > 0 } t ? t : MessageTree.DefaultTitle;
        var chat = new JsonObject
        {
            ["title"] = title,
            ["models"] = new JsonArray(Model),
            ["history"] = new JsonObject { ["messages"] = messages, ["currentId"] = current },
            ["messages"] = new JsonArray(branch.Select(m => (JsonNode)m.DeepClone()).ToArray()),
            ["timestamp"] = fallbackTime * 1000,
        };
        return new ImportedChat(chat, created, updated, Archived: false, Pinned: false, Meta: new JsonObject()) { Files = files };
    }

    /// <summary>The message's blocks in order: text as it is, the rest as details blocks; the old exports' <c>text</c> when there are none.</summary>
    private static string Content(JsonObject entry, string messageId, List<ImportedFile> files, Dictionary<string, string> artifacts)
    {
        if (entry["content"] is not JsonArray blocks || blocks.Count == 0)
        {
            return MessageTree.String(entry["text"]) ?? "";
        }
        var content = new StringBuilder();
        void Add(string block)
        {
            if (content.Length > 0 && content[^1] != '\n')
            {
                content.Append('\n');
            }
            content.Append(block);
        }
        (string Id, string Name, string Arguments)? call = null;
        void FlushCall(string? result, bool isError)
        {
            if (call is { } c)
            {
                Add(DetailsBlocks.ToolCall(c.Id, c.Name, c.Arguments, result, isError));
                call = null;
            }
        }
        foreach (var (block, index) in blocks.OfType<JsonObject>().Select((b, i) => (b, i)))
        {
            switch (MessageTree.String(block["type"]))
            {
                case "text":
                    FlushCall(null, false);
                    Add(MessageTree.String(block["text"]) ?? "");
                    break;
                case "thinking":
                    FlushCall(null, false);
                    Add(DetailsBlocks.Reasoning(MessageTree.String(block["thinking"]) ?? "", Duration(block)));
                    break;
                case "tool_use":
                    FlushCall(null, false);
                    var name = MessageTree.String(block["name"]) ?? "tool";
                    var input = block["input"] as JsonObject ?? new JsonObject();
                    call = (MessageTree.String(block["id"]) ?? $"{messageId}-{index}", name, input.ToJsonString(MessageTree.Compact));
                    if (name == "artifacts" && Artifact(input, artifacts) is { } artifact)
                    {
                        files.Add(new ImportedFile(messageId, artifact.Name, Content: Encoding.UTF8.GetBytes(artifact.Text)));
                    }
                    break;
                case "tool_result":
                    var result = block["content"] is JsonArray parts
                        ? string.Join("\n", parts.Select(p => MessageTree.String(p?["text"]) ?? p?.ToJsonString(MessageTree.Compact)))
                        : MessageTree.String(block["content"]) ?? "";
                    var failed = block["is_error"] is JsonValue e && e.TryGetValue<bool>(out var isError) && isError;
                    call ??= (MessageTree.String(block["tool_use_id"]) ?? $"{messageId}-{index}", MessageTree.String(block["name"]) ?? "tool", "");
                    FlushCall(result, failed);
                    break;
            }
        }
        FlushCall(null, false);
        return content.ToString().Trim();
    }

    /// <summary>Seconds between a block's <c>start_timestamp</c> and <c>stop_timestamp</c>, when both are there.</summary>
    private static long? Duration(JsonObject block) =>
        Parse(MessageTree.String(block["start_timestamp"])) is { } start && Parse(MessageTree.String(block["stop_timestamp"])) is { } stop
            ? (long)Math.Round((stop - start).TotalSeconds)
            : null;

    /// <summary>
    /// The text an <c>artifacts</c> call leaves: <c>create</c> and <c>rewrite</c> give it whole, <c>update</c> replaces
    /// <c>old_str</c> by <c>new_str</c> in the artifact's last text. Named by its title and kind.
    /// </summary>
    private static (string Name, string Text)? Artifact(JsonObject input, Dictionary<string, string> artifacts)
    {
        var id = MessageTree.String(input["id"]) ?? "artifact";
        var text = MessageTree.String(input["command"]) switch
        {
            "update" when artifacts.TryGetValue(id, out var before) => before.Replace(MessageTree.String(input["old_str"]) ?? "\0", MessageTree.String(input["new_str"]) ?? ""),
            _ => MessageTree.String(input["content"]),
        };
        if (text is null)
        {
            return null;
        }
        artifacts[id] = text;
        var title = MessageTree.String(input["title"]) is { Length: > 0 } t ? t : id;
        return (title + Extension(MessageTree.String(input["type"]), MessageTree.String(input["language"])), text);
    }

    private static string Extension(string? type, string? language) => type switch
    {
        "text/markdown" => ".md",
        "text/html" => ".html",
        "image/svg+xml" => ".svg",
        "application/vnd.ant.react" => ".jsx",
        "application/vnd.ant.mermaid" => ".mmd",
        _ => language?.ToLowerInvariant() switch
        {
            "python" => ".py",
            "javascript" => ".js",
            "typescript" => ".ts",
            "bash" or "shell" or "sh" => ".sh",
            "json" => ".json",
            "sql" => ".sql",
            "html" => ".html",
            "css" => ".css",
            "csharp" or "c#" => ".cs",
            "java" => ".java",
            "go" => ".go",
            "rust" => ".rs",
            _ => ".txt",
        },
    };

    /// <summary>Attachments carry their extracted text (kept as a file of that name); <c>files</c> name images the export leaves out.</summary>
    private static void Attachments(JsonObject entry, string messageId, List<ImportedFile> files)
    {
        foreach (var attachment in (entry["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = MessageTree.String(attachment["file_name"]) is { Length: > 0 } n ? n : "attachment.txt";
            files.Add(MessageTree.String(attachment["extracted_content"]) is { } text
                ? new ImportedFile(messageId, name, Content: Encoding.UTF8.GetBytes(text))
                : new ImportedFile(messageId, name, ExportName: name));
        }
        foreach (var file in (entry["files"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (MessageTree.String(file["file_name"]) is { Length: > 0 } name && files.All(f => f.MessageId != messageId || f.Name != name))
            {
                files.Add(new ImportedFile(messageId, name, ExportName: name));
            }
        }
    }

    private static long? Time(JsonObject owner, string field, string path = "") => owner[field] switch
    {
        null => null,
        var node when Parse(MessageTree.String(node)) is { } time => time.ToUnixTimeSeconds(),
        _ => throw new FormatException($"'{path}{field}' is not a date"),
    };

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
