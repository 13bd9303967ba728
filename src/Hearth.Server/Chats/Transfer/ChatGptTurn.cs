using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// One message of the imported chat from a chain of ChatGPT nodes: the user's message with its uploads, or an
/// assistant turn whose tool calls (a node addressed to a tool, then the tool's node), code-interpreter runs,
/// browsing results and thoughts become details blocks before the answer's text, and whose images (DALL·E,
/// charts) and <c>sandbox:/mnt/data/…</c> files become files of the message.
/// </summary>
internal static partial class ChatGptTurn
{
    private const string Sandbox = "sandbox:/mnt/data/";

    public static (JsonObject Message, List<ImportedFile> Files) Build(string id, IReadOnlyList<JsonObject> nodes, long fallbackTime)
    {
        var head = nodes[0];
        var role = ChatGptConversion.Role(head) == "tool" ? "assistant" : ChatGptConversion.Role(head)!;
        var content = new StringBuilder();
        var files = new List<ImportedFile>();
        (string Recipient, string Language, string Text, string Id)? call = null;

        void Add(string block)
        {
            if (content.Length > 0 && content[^1] != '\n')
            {
                content.Append('\n');
            }
            content.Append(block);
        }
        void FlushCall(string? output)
        {
            if (call is { } c)
            {
                Add(c.Recipient == "python"
                    ? DetailsBlocks.CodeInterpreter(c.Language is "" or "unknown" ? "python" : c.Language, c.Text, output)
                    : DetailsBlocks.ToolCall(c.Id, c.Recipient, c.Text, output));
                call = null;
            }
        }

        foreach (var node in nodes)
        {
            var nodeContent = node["content"] as JsonObject ?? new JsonObject();
            var type = MessageTree.String(nodeContent["content_type"]) ?? "text";
            var recipient = MessageTree.String(node["recipient"]) ?? "all";
            var nodeId = MessageTree.String(node["id"]) ?? id;
            Attachments(node, nodeContent, id, files);
            if (ChatGptConversion.Role(node) == "tool")
            {
                var output = ToolOutput(type, nodeContent);
                if (call is null)
                {
                    var name = MessageTree.String(node["author"]?["name"]) ?? "tool";
                    Add(DetailsBlocks.ToolCall(nodeId, name, "", output));
                }
                FlushCall(output);
                continue;
            }
            FlushCall(null);
            if (recipient != "all")
            {
                call = (recipient, MessageTree.String(nodeContent["language"]) ?? "", ContentText(nodeContent), nodeId);
                continue;
            }
            switch (type)
            {
                case "thoughts":
                    var thoughts = (nodeContent["thoughts"] as JsonArray ?? []).OfType<JsonObject>()
                        .Select(t => string.Join("\n\n", new[] { MessageTree.String(t["summary"]), MessageTree.String(t["content"]) }.Where(s => !string.IsNullOrWhiteSpace(s))))
                        .Where(s => s.Length > 0);
                    var duration = MessageTree.Number(node["metadata"]?["finished_duration_sec"]);
                    Add(DetailsBlocks.Reasoning(string.Join("\n\n", thoughts), duration));
                    break;
                case "reasoning_recap" or "model_editable_context" or "user_editable_context":
                    break; // "Thought for 12s" repeats the thoughts' duration; memory and profile texts are not conversation.
                case "code":
                    Add(DetailsBlocks.Fence(MessageTree.String(nodeContent["language"]) is { } language and not "unknown" ? language : "", ContentText(nodeContent)));
                    break;
                default:
                    var text = ContentText(nodeContent);
                    SandboxLinks(text, id, files);
                    Add(text);
                    break;
            }
        }
        FlushCall(null);

        var message = new JsonObject
        {
            ["id"] = id,
            ["parentId"] = null,
            ["childrenIds"] = new JsonArray(),
            ["role"] = role,
            ["content"] = content.ToString().Trim(),
            ["timestamp"] = (long)(MessageTree.Numeric(head["create_time"]) ?? fallbackTime),
        };
        if (role == "assistant")
        {
            if (nodes.Select(n => MessageTree.String(n["metadata"]?["model_slug"])).LastOrDefault(m => m is not null) is { } model)
            {
                message["model"] = model;
                message["modelName"] = model;
            }
            message["done"] = true;
        }
        return (message, files);
    }

    /// <summary>What a tool node says: printed output, a browsing page or quote, or its text parts.</summary>
    private static string ToolOutput(string type, JsonObject content) => type switch
    {
        "tether_browsing_display" => string.Join("\n\n", new[] { MessageTree.String(content["summary"]), MessageTree.String(content["result"]) }.Where(s => !string.IsNullOrEmpty(s))),
        "tether_quote" => $"{MessageTree.String(content["title"])} ({MessageTree.String(content["url"])})\n\n{MessageTree.String(content["text"])}".Trim(),
        _ => ContentText(content),
    };

    /// <summary>The readable text of a ChatGPT content object: its string parts, or its <c>text</c>.</summary>
    public static string ContentText(JsonObject content)
    {
        if (content["parts"] is JsonArray parts)
        {
            return string.Join("\n", parts.Select(p => MessageTree.String(p) ?? MessageTree.String(p?["text"])).OfType<string>());
        }
        return MessageTree.String(content["text"]) ?? MessageTree.String(content["result"]) ?? "";
    }

    /// <summary>Uploads listed in <c>metadata.attachments</c>, image pointers among the parts, and images a code run made.</summary>
    private static void Attachments(JsonObject node, JsonObject content, string messageId, List<ImportedFile> files)
    {
        void Add(string? pointer, string? name)
        {
            if (AssetId(pointer) is { } asset && files.All(f => f.ExportName != asset))
            {
                files.Add(new ImportedFile(messageId, name ?? asset, ExportName: asset));
            }
        }
        foreach (var attachment in (node["metadata"]?["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Add(MessageTree.String(attachment["id"]), MessageTree.String(attachment["name"]));
        }
        foreach (var part in (content["parts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Add(MessageTree.String(part["asset_pointer"]), null);
        }
        foreach (var item in (node["metadata"]?["aggregate_result"]?["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Add(MessageTree.String(item["image_url"]), null);
        }
    }

    /// <summary><c>file-service://file-abc</c> and <c>sediment://file_abc</c> name the file <c>file-abc…</c> / <c>file_abc…</c> of the export.</summary>
    private static string? AssetId(string? pointer) => pointer switch
    {
        null or "" => null,
        _ when pointer.IndexOf("://", StringComparison.Ordinal) is var at and >= 0 => pointer[(at + 3)..],
        _ => pointer,
    };

    private static void SandboxLinks(string text, string messageId, List<ImportedFile> files)
    {
        foreach (Match match in SandboxLink().Matches(text))
        {
            var link = match.Groups[1].Value;
            var name = Uri.UnescapeDataString(link[Sandbox.Length..]);
            if (files.All(f => f.Link != link))
            {
                files.Add(new ImportedFile(messageId, Path.GetFileName(name), ExportName: Path.GetFileName(name), Link: link));
            }
        }
    }

    [GeneratedRegex(@"\((sandbox:/mnt/data/[^)\s]+)\)")]
    private static partial Regex SandboxLink();
}
