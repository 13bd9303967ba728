using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>
/// A chat's "keep" mark, <c>meta.keep: true</c> (pure): chat retention passes a kept chat by. It lives in the meta
/// the chat already carries on the wire, so clients see it without a new field and backups carry it.
/// </summary>
internal static class ChatKeep
{
    public static bool IsKept(string meta) =>
        JsonNode.Parse(meta) is JsonObject obj && obj["keep"] is JsonValue value && value.TryGetValue<bool>(out var kept) && kept;

    public static string Toggled(string meta)
    {
        var obj = JsonNode.Parse(meta) as JsonObject ?? new JsonObject();
        var kept = IsKept(meta);
        if (kept)
        {
            obj.Remove("keep");
        }
        else
        {
            obj["keep"] = true;
        }
        return obj.ToJsonString();
    }
}
