using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>
/// Open WebUI 0.11 relinks, when a chat is read, the replies whose parent leaves them out of its
/// <c>childrenIds</c> (a reply written on its own while a tab saved an older copy of its parent, an import, a
/// client's bug), so the web client can reach every branch. Pure; the stored rows stay as they are.
/// </summary>
internal static class ChildLinks
{
    /// <summary>The messages in their order, each parent's <c>childrenIds</c> completed with its missing replies (in order).</summary>
    public static IReadOnlyList<(string Id, string Body)> Relink(IReadOnlyList<(string Id, string? ParentId, string Body)> messages)
    {
        var present = messages.Select(m => m.Id).ToHashSet();
        var childrenOf = messages.Where(m => m.ParentId is not null && m.ParentId != m.Id && present.Contains(m.ParentId))
            .GroupBy(m => m.ParentId!).ToDictionary(g => g.Key, g => g.Select(m => m.Id).ToList());
        if (childrenOf.Count == 0)
        {
            return messages.Select(m => (m.Id, m.Body)).ToList();
        }
        return messages.Select(m => childrenOf.TryGetValue(m.Id, out var children) ? (m.Id, WithChildren(m.Body, children)) : (m.Id, m.Body)).ToList();
    }

    /// <summary>The body, or when some of <paramref name="children"/> are missing from its <c>childrenIds</c>, a copy with them added.</summary>
    private static string WithChildren(string body, List<string> children)
    {
        using (var doc = JsonDocument.Parse(body))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return body;
            }
            var listed = doc.RootElement.TryGetProperty("childrenIds", out var ids) && ids.ValueKind == JsonValueKind.Array
                ? ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()).ToHashSet()
                : [];
            if (children.All(listed.Contains))
            {
                return body;
            }
        }
        var message = (JsonObject)JsonNode.Parse(body)!;
        if (message["childrenIds"] is not JsonArray list)
        {
            list = new JsonArray();
            message["childrenIds"] = list;
        }
        var have = list.Select(MessageTree.String).ToHashSet();
        foreach (var child in children.Where(c => !have.Contains(c)))
        {
            list.Add(child);
        }
        return message.ToJsonString(MessageTree.Compact);
    }
}
