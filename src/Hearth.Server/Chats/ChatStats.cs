using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

internal sealed record ChatUsageStats(string Id, Dictionary<string, int> Models, int MessageCount, Dictionary<string, int> HistoryModels,
    int HistoryMessageCount, int HistoryUserMessageCount, int HistoryAssistantMessageCount, double AverageResponseTime,
    double AverageUserMessageContentLength, double AverageAssistantMessageContentLength, IReadOnlyList<string> Tags,
    long LastMessageAt, long UpdatedAt, long CreatedAt);

internal sealed record ChatUsageStatsListResponse(IReadOnlyList<ChatUsageStats> Items, long Total);

internal sealed record MessageStats(string Id, string Role, string? Model, JsonNode? Timestamp, long ContentLength, int? TokenCount,
    JsonNode? Rating, JsonNode? Tags);

internal sealed record ChatHistoryStats(Dictionary<string, MessageStats> Messages,
    [property: System.Text.Json.Serialization.JsonPropertyName("currentId")] string? CurrentId);

internal sealed record ChatBody(ChatHistoryStats History);

internal sealed record AggregateChatStats(double AverageResponseTime, double AverageUserMessageContentLength,
    double AverageAssistantMessageContentLength, Dictionary<string, int> Models, int MessageCount, Dictionary<string, int> HistoryModels,
    int HistoryMessageCount, int HistoryUserMessageCount, int HistoryAssistantMessageCount);

internal sealed record ChatStatsExport(string Id, string UserId, long CreatedAt, long UpdatedAt, IReadOnlyList<string> Tags,
    AggregateChatStats Stats, ChatBody Chat);

internal sealed record ChatStatsExportList(string Type, IReadOnlyList<ChatStatsExport> Items, long Total, int Page);

/// <summary>Section 7's formulas, quirks included: lengths in code points, every assistant message timed against its parent.</summary>
internal static class ChatStats
{
    /// <summary>GET /stats/usage item, or null for a chat the route skips (no history or no current message).</summary>
    public static ChatUsageStats? Usage(ChatRow chat, IReadOnlyList<(string Id, string Body)> bodies)
    {
        var messages = Parse(bodies);
        if (messages.Count == 0 || chat.CurrentId is null || !messages.ContainsKey(chat.CurrentId))
        {
            return null;
        }
        var all = messages.Values.ToList();
        var users = all.Where(m => Role(m) == "user").ToList();
        var assistants = all.Where(m => Role(m) == "assistant").ToList();
        var branch = MessageTree.Branch(messages, chat.CurrentId, ParentOf);
        return new ChatUsageStats(chat.Id, ModelCounts(branch), branch.Count, ModelCounts(all), all.Count, users.Count, assistants.Count,
            ResponseTime(assistants, messages, requireBoth: false),
            Average(users.Select(m => (double)PythonLength(m["content"]))),
            Average(assistants.Select(m => (double)PythonLength(m["content"]))),
            ChatWrites.TagsOf(chat.Meta),
            (long)(Seconds(branch[^1]["timestamp"]) ?? 0), chat.UpdatedAt, chat.CreatedAt);
    }

    /// <summary>GET /stats/export item; a chat with an empty history exports with zeros.</summary>
    public static ChatStatsExport Export(ChatRow chat, IReadOnlyList<(string Id, string Body)> bodies)
    {
        var messages = Parse(bodies);
        var stats = new Dictionary<string, MessageStats>();
        var kept = new List<JsonObject>();
        foreach (var (key, message) in messages)
        {
            if (MessageTree.String(message["id"]) is not { } id || MessageTree.String(message["role"]) is not { } role)
            {
                continue;
            }
            var annotation = message["annotation"] as JsonObject;
            stats[key] = new MessageStats(id, role, MessageTree.String(message["model"]), message["timestamp"]?.DeepClone(),
                ExportLength(message["content"]), null, annotation?["rating"]?.DeepClone(), annotation?["tags"]?.DeepClone());
            kept.Add(message);
        }
        var users = kept.Where(m => Role(m) == "user").ToList();
        var assistants = kept.Where(m => Role(m) == "assistant").ToList();
        var branch = MessageTree.Branch(messages, chat.CurrentId, ParentOf);
        var aggregate = new AggregateChatStats(
            ResponseTime(assistants, messages, requireBoth: true),
            Average(users.Select(m => (double)ExportLength(m["content"]))),
            Average(assistants.Select(m => (double)ExportLength(m["content"]))),
            ModelCounts(branch), branch.Count, ModelCounts(kept), kept.Count, users.Count, assistants.Count);
        return new ChatStatsExport(chat.Id, chat.UserId, chat.CreatedAt, chat.UpdatedAt, ChatWrites.TagsOf(chat.Meta), aggregate,
            new ChatBody(new ChatHistoryStats(stats, chat.CurrentId)));
    }

    private static Dictionary<string, JsonObject> Parse(IReadOnlyList<(string Id, string Body)> bodies)
    {
        var map = new Dictionary<string, JsonObject>();
        foreach (var (id, body) in bodies)
        {
            map[id] = JsonNode.Parse(body) as JsonObject ?? new JsonObject();
        }
        return map;
    }

    private static string? Role(JsonObject message) => MessageTree.String(message["role"]);
    private static string? ParentOf(JsonObject message) => MessageTree.String(message["parentId"]);

    private static Dictionary<string, int> ModelCounts(IEnumerable<JsonObject> messages)
    {
        var counts = new Dictionary<string, int>();
        foreach (var model in messages.Where(m => Role(m) == "assistant").Select(m => MessageTree.String(m["model"])).Where(m => !string.IsNullOrEmpty(m)))
        {
            counts[model!] = counts.GetValueOrDefault(model!) + 1;
        }
        return counts;
    }

    private static double ResponseTime(IEnumerable<JsonObject> assistants, Dictionary<string, JsonObject> all, bool requireBoth)
    {
        var times = new List<double>();
        foreach (var assistant in assistants)
        {
            if (ParentOf(assistant) is not { Length: > 0 } parentId || !all.TryGetValue(parentId, out var parent))
            {
                continue;
            }
            var mine = Seconds(assistant["timestamp"]);
            var theirs = Seconds(parent["timestamp"]);
            if (requireBoth && (mine is null or 0 || theirs is null or 0))
            {
                continue;
            }
            times.Add((mine ?? 0) - (theirs ?? 0));
        }
        return Average(times);
    }

    private static double Average(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : list.Sum() / list.Count;
    }

    private static double? Seconds(JsonNode? node) => MessageTree.Numeric(node);

    /// <summary>Python's <c>len(content)</c>: code points of a string, items of a list, keys of an object.</summary>
    public static long PythonLength(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => CodePoints(text),
        JsonArray list => list.Count,
        JsonObject obj => obj.Count,
        _ => 0,
    };

    /// <summary>The export's content length: a string's code points, or the summed text of a list's text items.</summary>
    public static long ExportLength(JsonNode? content) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => CodePoints(text),
        JsonArray list => list.OfType<JsonObject>().Where(i => MessageTree.String(i["type"]) == "text")
            .Sum(i => CodePoints(MessageTree.String(i["text"]) ?? "")),
        _ => 0,
    };

    private static long CodePoints(string text) => text.EnumerateRunes().LongCount();
}
