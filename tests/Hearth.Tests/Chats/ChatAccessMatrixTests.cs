using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

/// <summary>Every owner-only route called by a stranger (and for an unknown id) answers exactly as upstream and changes nothing.</summary>
public abstract class ChatAccessMatrixTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string NF = "We could not find what you're looking for :/";
    private const string AP = "You do not have permission to access this resource. Please contact your administrator for assistance.";
    private const string DEF = "Something went wrong :/";

    public static TheoryData<string, string, string?, int, string> Routes => new()
    {
        { "GET", "/api/v1/chats/{id}", null, 401, NF },
        { "POST", "/api/v1/chats/{id}", """{"chat": {"title": "hijacked"}}""", 401, AP },
        { "POST", "/api/v1/chats/{id}/messages/a0", """{"content": "hijacked"}""", 401, AP },
        { "POST", "/api/v1/chats/{id}/messages/a0/event", """{"type": "replace", "data": {"content": "hijacked"}}""", 401, AP },
        { "DELETE", "/api/v1/chats/{id}/messages/a0", null, 401, AP },
        { "DELETE", "/api/v1/chats/{id}", null, 404, NF },
        { "GET", "/api/v1/chats/{id}/pinned", null, 401, DEF },
        { "POST", "/api/v1/chats/{id}/pin", null, 401, DEF },
        { "POST", "/api/v1/chats/{id}/clone", "{}", 401, DEF },
        { "POST", "/api/v1/chats/{id}/clone/shared", null, 401, DEF },
        { "POST", "/api/v1/chats/{id}/archive", null, 401, DEF },
        { "POST", "/api/v1/chats/{id}/share", null, 401, AP },
        { "DELETE", "/api/v1/chats/{id}/share", null, 401, AP },
        { "POST", "/api/v1/chats/{id}/folder", """{"folder_id": null}""", 401, DEF },
        { "GET", "/api/v1/chats/{id}/tags", null, 401, NF },
        { "POST", "/api/v1/chats/{id}/tags", """{"name": "mine"}""", 401, DEF },
        { "DELETE", "/api/v1/chats/{id}/tags", """{"name": "secret"}""", 401, NF },
        { "DELETE", "/api/v1/chats/{id}/tags/all", null, 401, NF },
        { "GET", "/api/v1/chats/share/{id}", null, 401, NF },
    };

    private static HttpRequestMessage Request(string method, string path, string? body) =>
        new(new HttpMethod(method), path) { Content = body is null ? null : Json.Raw(body) };

    private static async Task<string> Snapshot(TestUser owner, string id)
    {
        var chat = await ChatDocs.GetAsync(owner, id);
        var tags = await Json.ReadAsync(await owner.Client.GetAsync($"/api/v1/chats/{id}/tags"), 200);
        return chat.ToJsonString() + tags!.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AStrangerIsRefusedAndTheOwnersChatIsUnchanged(string method, string path, string? body, int status, string detail)
    {
        // One server for every route: each gets a chat of its own, and Eve's refused writes leave her with none.
        var (app, ada, eve) = (shared.App, shared.Ada, shared.Eve);
        var id = await ChatDocs.CreateIdAsync(ada, "Private", 1);
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "secret" }).SucceedsAsync();
        var before = await Snapshot(ada, id);

        await Json.AssertDetailAsync(await eve.Client.SendAsync(Request(method, path.Replace("{id}", id), body)), status, detail);
        Assert.Equal(before, await Snapshot(ada, id));
        Assert.Empty(await ChatDocs.TitlesAsync(await eve.Client.GetAsync("/api/v1/chats/")));

        await Json.AssertDetailAsync(await eve.Client.SendAsync(Request(method, path.Replace("{id}", "no-such-chat"), body)), status, detail);
        await Json.AssertDetailAsync(await app.Client().SendAsync(Request(method, path.Replace("{id}", id), body)), 403, "Not authenticated");
        Assert.Equal(before, await Snapshot(ada, id));
    }

    [Fact]
    public async Task AdminsReachOtherUsersChatsOnlyWhileAdminChatAccessIsOn()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await ChatDocs.CreateIdAsync(bob, "Bob's", 1);
        Assert.Equal("Bob's", (await ChatDocs.GetAsync(ada, id))["title"]!.GetValue<string>());
        Assert.Equal(200, (int)(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/a0/event",
            new { type = "replace", data = new { content = "moderated" } })).StatusCode);

        await using var locked = await StartAsync(new Dictionary<string, string?> { ["ENABLE_ADMIN_CHAT_ACCESS"] = "false" });
        var admin = await locked.SignUpAsync("Ada");
        var user = await locked.AddUserAsync(admin, "Bob");
        var theirs = await ChatDocs.CreateIdAsync(user, "Bob's", 1);
        await Json.AssertDetailAsync(await admin.Client.GetAsync($"/api/v1/chats/{theirs}"), 401, NF);
        await Json.AssertDetailAsync(await admin.Client.DeleteAsync($"/api/v1/chats/{theirs}"), 404, NF);
        Assert.Equal("Bob's", (await ChatDocs.GetAsync(user, theirs))["title"]!.GetValue<string>());
    }
}

public sealed class ChatAccessMatrixTestsOnSqlite(SharedApp.OnSqlite shared)
    : ChatAccessMatrixTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ChatAccessMatrixTestsOnPostgres(SharedApp.OnPostgres shared)
    : ChatAccessMatrixTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
