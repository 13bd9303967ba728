using System.Text.Json.Nodes;

namespace Hearth.Benchmarks;

/// <summary>Creates a chat over HTTP the way Open WebUI's web client does: <c>POST /api/v1/chats/new</c>, then a save.</summary>
internal static class WebClientChats
{
    /// <summary>
    /// <c>initChatHandler</c>'s create (here with the whole conversation at once, as when a long chat is
    /// imported), then one <c>saveChatHandler</c> save of it: what the stored chat looks like after the client's
    /// latest save, whatever Hearth does with the flat list.
    /// </summary>
    /// <returns>The chat's id.</returns>
    public static async Task<string> CreateAsync(HttpClient http, Uri hearth, string key, JsonObject chat)
    {
        var created = await Requests.SendForJsonAsync(http, Requests.Post(new Uri(hearth, "/api/v1/chats/new"), key,
            new JsonObject { ["chat"] = chat.DeepClone(), ["folder_id"] = null }.ToJsonString()));
        var id = created["id"]!.GetValue<string>();
        await Requests.SendAsync(http, Requests.Post(new Uri(hearth, $"/api/v1/chats/{id}"), key, ChatSeeder.SaveBody(chat).ToJsonString()));
        return id;
    }
}
