using System.Text.Json.Nodes;

namespace Hearth.Server.Completions;

/// <summary>
/// A <c>ChatCompletionForm</c>: the OpenAI request that goes upstream untouched, and Open WebUI's own
/// fields, taken out before forwarding.
/// </summary>
internal sealed record CompletionRequest(JsonObject Upstream, string Model, bool Stream, string? ChatId, string? MessageId,
    string? ParentId, string? SessionId, IReadOnlyList<string> ToolIds, JsonObject? UserMessage, string? FolderId)
{
    private static readonly string[] HearthFields =
    [
        "chat_id", "id", "parent_id", "parent_message", "session_id", "tool_ids", "files", "features", "variables", "params",
        "background_tasks", "filter_ids", "tool_servers", "model_item", "user_message", "folder_id",
    ];

    /// <returns>The request, or the name of the field that is missing or of the wrong type.</returns>
    public static (CompletionRequest? Request, string? Problem) From(JsonObject body)
    {
        if (Chats.MessageTree.String(body["model"]) is not { Length: > 0 } model)
        {
            return (null, "model");
        }
        if (body["messages"] is not JsonArray)
        {
            return (null, "messages");
        }
        var upstream = (JsonObject)body.DeepClone();
        foreach (var field in HearthFields)
        {
            upstream.Remove(field);
        }
        var stream = body["stream"] is JsonValue s && s.TryGetValue<bool>(out var flag) && flag;
        var toolIds = (body["tool_ids"] as JsonArray ?? []).Select(Chats.MessageTree.String).OfType<string>().ToList();
        string? Text(string name) => Chats.MessageTree.String(body[name]) is { Length: > 0 } v ? v : null;
        return (new CompletionRequest(upstream, model, stream, Text("chat_id"), Text("id"), Text("parent_id"), Text("session_id"),
            toolIds, body["user_message"] as JsonObject, Text("folder_id"))
        {
            WantsTitle = body["background_tasks"] is JsonObject tasks && tasks["title_generation"] is JsonValue t && t.TryGetValue<bool>(out var title) && title,
        }, null);
    }

    /// <summary><c>background_tasks.title_generation</c>: the client asks for a title made by the model after the first reply.</summary>
    public bool WantsTitle { get; init; }

    public bool IsTemporaryChat => ChatId is null || IsTemporaryChatId(ChatId);

    /// <summary>Chat ids that name no stored chat: temporary chats of the web client.</summary>
    public static bool IsTemporaryChatId(string chatId) =>
        chatId.StartsWith("local:", StringComparison.Ordinal) || chatId.StartsWith("temporary:", StringComparison.Ordinal);
}
