using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Retention;

/// <summary>Chats of a given age (imported with their times) and the retention routes, for the retention tests.</summary>
internal static class RetentionChats
{
    public static async Task<string> OldChatAsync(TestUser user, string title, int daysAgo, bool pinned = false)
    {
        var at = DateTimeOffset.UtcNow.AddDays(-daysAgo).ToUnixTimeSeconds();
        var imported = await Json.ReadAsync(await user.Client.PostAsJsonAsync("/api/v1/chats/import", new
        {
            chats = new[] { new { chat = ChatDocs.Conversation(title), pinned, created_at = at, updated_at = at } },
        }), 200);
        return imported!.AsArray()[0]!["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> ConfigureAsync(TestUser admin, object config) =>
        await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync("/api/v1/retention/config", config), 200);

    public static async Task<JsonObject> RunAsync(TestUser admin) =>
        await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/retention/run", null), 200);

    /// <summary>The chat as its owner reads it, or null when it is gone.</summary>
    public static async Task<JsonObject?> FindAsync(TestUser user, string id)
    {
        var response = await user.Client.GetAsync($"/api/v1/chats/{id}");
        return response.IsSuccessStatusCode ? await Json.ReadObjectAsync(response, 200) : null;
    }
}
