using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

/// <summary>Chat documents shaped like the ones Open WebUI's web client posts, and helpers to create them.</summary>
internal static class ChatDocs
{
    /// <summary>A linear conversation of <paramref name="pairs"/> user/assistant turns, current branch at the last answer.</summary>
    public static JsonObject Conversation(string title, int pairs = 1, string model = "llama3", long start = 1_700_000_000)
    {
        var messages = new JsonObject();
        string? parent = null;
        var flat = new JsonArray();
        for (var i = 0; i < pairs; i++)
        {
            var userId = $"u{i}";
            var assistantId = $"a{i}";
            messages[userId] = new JsonObject
            {
                ["id"] = userId, ["parentId"] = parent, ["childrenIds"] = new JsonArray(assistantId), ["role"] = "user",
                ["content"] = $"Question {i} about the quick brown fox", ["timestamp"] = start + i * 10, ["models"] = new JsonArray(model),
            };
            messages[assistantId] = new JsonObject
            {
                ["id"] = assistantId, ["parentId"] = userId, ["childrenIds"] = new JsonArray(), ["role"] = "assistant",
                ["content"] = $"Answer {i}", ["model"] = model, ["timestamp"] = start + i * 10 + 3, ["done"] = true,
            };
            if (i > 0)
            {
                messages[$"a{i - 1}"]!["childrenIds"]!.AsArray().Add(userId);
            }
            flat.Add(new JsonObject { ["id"] = userId, ["role"] = "user", ["content"] = $"Question {i}" });
            parent = assistantId;
        }
        return new JsonObject
        {
            ["id"] = "",
            ["title"] = title,
            ["models"] = new JsonArray(model),
            ["params"] = new JsonObject(),
            ["history"] = new JsonObject { ["messages"] = messages, ["currentId"] = parent },
            ["messages"] = flat,
            ["tags"] = new JsonArray(),
            ["timestamp"] = start * 1000,
        };
    }

    /// <summary>
    /// The chat as Open WebUI's web client saves it: <see cref="Conversation"/> whose flat <c>messages</c> list is
    /// the current branch's messages themselves (<c>createMessagesList</c>), plus <c>files</c>.
    /// </summary>
    public static JsonObject WebClientConversation(string title, int pairs = 1)
    {
        var chat = Conversation(title, pairs);
        chat["messages"] = BranchOf(chat);
        chat["files"] = new JsonArray();
        return chat;
    }

    /// <summary>The current branch's messages, root first, copied from <c>history.messages</c>.</summary>
    public static JsonArray BranchOf(JsonObject chat)
    {
        var messages = chat["history"]!["messages"]!.AsObject();
        var branch = new List<JsonNode>();
        for (var id = chat["history"]!["currentId"]?.GetValue<string>(); id is not null && messages[id] is JsonObject message;
             id = message["parentId"]?.GetValue<string>())
        {
            branch.Insert(0, message.DeepClone());
        }
        return new JsonArray(branch.ToArray());
    }

    public static async Task<JsonObject> CreateAsync(TestUser user, JsonObject chat, string? folderId = null)
    {
        var response = await user.Client.PostAsJsonAsync("/api/v1/chats/new", new { chat, folder_id = folderId });
        return await Json.ReadObjectAsync(response, 200);
    }

    public static async Task<string> CreateIdAsync(TestUser user, string title, int pairs = 1, string? folderId = null) =>
        (await CreateAsync(user, Conversation(title, pairs), folderId))["id"]!.GetValue<string>();

    /// <summary>POST /{id}/messages/{message_id}/event, as tools and the web client's socket handlers send it.</summary>
    public static Task<HttpResponseMessage> EventAsync(TestUser user, string chatId, string messageId, string type, object data) =>
        user.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/{messageId}/event", new { type, data });

    public static async Task<JsonObject> GetAsync(TestUser user, string id) =>
        await Json.ReadObjectAsync(await user.Client.GetAsync($"/api/v1/chats/{id}"), 200);

    public static async Task<List<string>> TitlesAsync(HttpResponseMessage response) =>
        (await Json.ReadAsync(response, 200))!.AsArray().Select(c => c!["title"]!.GetValue<string>()).ToList();
}
