using System.Text.Json.Nodes;

namespace Hearth.Server.Chats;

/// <summary>
/// A chat's "keep" mark, <c>meta.keep: true</c> (pure): chat retention passes a kept chat by. It lives in the meta
/// the chat already carries on the wire, so clients see it without a new field and backups carry it.
/// </summary>
internal static class ChatKeep
{
    public static bool IsKept(string meta) =>
        Read(meta) is { } obj && obj["keep"] is JsonValue value && value.TryGetValue<bool>(out var kept) && kept;

    public static string Toggled(string meta)
    {
        var obj = Read(meta) ?? new JsonObject();
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

    /// <summary>The stored meta as an object; null for anything else (Hearth writes valid JSON, but a restored or hand-edited row may not be).</summary>
    private static JsonObject? Read(string meta)
    {
        try
        {
            return JsonNode.Parse(meta) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
