using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// A chat as Markdown to read: the title, then each message of the current branch under its speaker and time,
/// its content as written (details blocks included, which Markdown viewers show as collapsible sections) and
/// its files as links.
/// </summary>
internal static class ChatMarkdown
{
    /// <summary>The current branch of a chat as the wire shows it: <c>history</c> up from <c>currentId</c>, else the flat <c>messages</c> list.</summary>
    public static List<JsonObject> CurrentBranch(ChatResponse chat)
    {
        var doc = JsonSerializer.SerializeToNode(chat.Chat, JsonSettings.Wire) as JsonObject ?? new JsonObject();
        if (doc["history"]?["messages"] is JsonObject history && history.Count > 0)
        {
            var messages = history.Where(p => p.Value is JsonObject).ToDictionary(p => p.Key, p => p.Value!.AsObject());
            var current = MessageTree.String(doc["history"]!["currentId"]);
            return MessageTree.Branch(messages, current, m => MessageTree.String(m["parentId"]));
        }
        return (doc["messages"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <param name="fileLink">Where a link to one of a message's <c>files</c> points; null keeps the file's own <c>url</c>.</param>
    public static string Write(string title, IEnumerable<JsonObject> messages, Func<JsonObject, string?>? fileLink = null)
    {
        var text = new StringBuilder().Append("# ").AppendLine(title).AppendLine();
        foreach (var message in messages)
        {
            var role = MessageTree.String(message["role"]) ?? "message";
            var speaker = role == "assistant" && MessageTree.String(message["model"]) is { } model ? $"Assistant ({model})" : Capitalise(role);
            var when = MessageTree.Number(message["timestamp"]) is { } seconds
                ? $" · {DateTimeOffset.FromUnixTimeSeconds(seconds):yyyy-MM-dd HH:mm} UTC"
                : "";
            text.Append("### ").Append(speaker).AppendLine(when).AppendLine();
            text.AppendLine(ContentText(message["content"])).AppendLine();
            var files = (message["files"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            foreach (var file in files)
            {
                var name = MessageTree.String(file["name"]) ?? "file";
                var link = fileLink?.Invoke(file) ?? MessageTree.String(file["url"]);
                var image = MessageTree.String(file["type"]) == "image" ? "!" : "";
                text.AppendLine(link is null ? $"- {name}" : $"- {image}[{name}]({LinkTarget(link)})");
            }
            if (files.Count > 0)
            {
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray items => string.Join("\n", items.OfType<JsonObject>().Select(i => MessageTree.String(i["text"])).OfType<string>()),
        _ => "",
    };

    /// <summary>A link target Markdown reads whole: spaces and parentheses in file names escaped.</summary>
    private static string LinkTarget(string link) => link.Replace(" ", "%20").Replace("(", "%28").Replace(")", "%29");

    private static string Capitalise(string role) => role.Length == 0 ? role : char.ToUpperInvariant(role[0]) + role[1..];
}
