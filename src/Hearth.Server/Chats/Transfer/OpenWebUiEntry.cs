using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

/// <summary>Reads one entry of an Open WebUI export (the array GET /all answers and the web UI downloads).</summary>
internal static class OpenWebUiEntry
{
    /// <exception cref="FormatException">The entry has no chat object.</exception>
    public static ImportedChat Convert(JsonObject entry)
    {
        if (entry["chat"] is not JsonObject chat)
        {
            throw new FormatException("neither a ChatGPT conversation ('mapping'), a Claude.ai one ('chat_messages') nor an Open WebUI chat ('chat')");
        }
        return new ImportedChat((JsonObject)chat.DeepClone(),
            MessageTree.Number(entry["created_at"]),
            MessageTree.Number(entry["updated_at"]),
            Flag(entry["archived"]),
            Flag(entry["pinned"]),
            entry["meta"] is JsonObject meta ? (JsonObject)meta.DeepClone() : new JsonObject());
    }

    private static bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
