using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Server.Completions;

/// <summary>
/// What the model is shown for a stored chat, as Open WebUI 0.11 builds it: the web client's turns come from the
/// stored conversation (the path from the reply's parent up to the first message), not from whatever
/// <c>messages</c> the request carries, and a chat filed in a folder with a <c>data.system_prompt</c> gets that
/// prompt (its own folder's only: a subfolder without one does not borrow its parent's).
/// </summary>
internal sealed class ConversationContext(ChatMessageStore messages, ChatStore chats, FolderStore folders)
{
    /// <param name="pathEnd">The message the reply answers (web-client mode), or null to keep the request's turns.</param>
    /// <param name="chat">The chat's row when the caller has just read it (the access check), so it is not read again.</param>
    public async Task<CompletionRequest> ForChatAsync(CompletionRequest request, string chatId, string? pathEnd,
        CancellationToken cancellationToken, ChatRow? chat = null)
    {
        var original = request.Upstream["messages"] as JsonArray ?? [];
        JsonArray? turns = null;
        var path = pathEnd is null ? [] : await messages.PathAsync(chatId, pathEnd, cancellationToken);
        if (path.Count > 0)
        {
            // The request's leading system messages (the model's or the user's system prompt) are not in the chat.
            var system = original.TakeWhile(t => MessageTree.String(t?["role"]) == "system").Select(t => t!.DeepClone());
            turns = new JsonArray([.. system, .. path.Select(ModelTurn)]);
        }
        if (await FolderPromptAsync(chat?.Id == chatId ? chat : await chats.GetAsync(chatId, cancellationToken), cancellationToken) is { } prompt)
        {
            turns = WithSystemPrompt(turns ?? (JsonArray)original.DeepClone(), prompt);
        }
        if (turns is null)
        {
            return request;
        }
        var changed = (JsonObject)request.Upstream.DeepClone();
        changed["messages"] = turns;
        return request with { Upstream = changed };
    }

    /// <summary>The user's message as Open WebUI 0.11 stores it: with its author's id and name.</summary>
    public static JsonObject WithAuthor(JsonObject userMessage, Auth.CurrentUser caller)
    {
        var message = (JsonObject)userMessage.DeepClone();
        if (MessageTree.String(message["role"]) is null or "user")
        {
            message["user_id"] ??= caller.Id;
            message["user"] ??= new JsonObject { ["id"] = caller.Id, ["name"] = caller.Name };
        }
        return message;
    }

    private async Task<string?> FolderPromptAsync(ChatRow? chat, CancellationToken cancellationToken)
    {
        if (chat is not { FolderId: { } folderId }
            || await folders.GetAsync(chat.UserId, folderId, cancellationToken) is not { Data: { } data })
        {
            return null;
        }
        return JsonNode.Parse(data) is JsonObject o && MessageTree.String(o["system_prompt"]) is { Length: > 0 } prompt ? prompt : null;
    }

    /// <summary>Upstream's rule: the prompt goes before the first system message's text, or becomes the first message.</summary>
    internal static JsonArray WithSystemPrompt(JsonArray turns, string prompt)
    {
        if (turns.Count > 0 && turns[0] is JsonObject first && MessageTree.String(first["role"]) == "system"
            && MessageTree.String(first["content"]) is { } existing)
        {
            first["content"] = $"{prompt}\n{existing}";
            return turns;
        }
        turns.Insert(0, new JsonObject { ["role"] = "system", ["content"] = prompt });
        return turns;
    }

    /// <summary>A stored message as the model sees it: its role and content, with its images as image parts.</summary>
    private static JsonObject ModelTurn(JsonObject message)
    {
        var content = message["content"]?.DeepClone() ?? "";
        var images = (message["files"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(f => MessageTree.String(f["type"]) == "image" && MessageTree.String(f["url"]) is not null)
            .Select(f => MessageTree.String(f["url"])!).ToList();
        if (images.Count > 0 && content is JsonValue)
        {
            var parts = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = content });
            foreach (var url in images)
            {
                parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
            }
            content = parts;
        }
        return new JsonObject { ["role"] = MessageTree.String(message["role"]) ?? "user", ["content"] = content };
    }
}
