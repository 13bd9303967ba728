using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Groups;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

/// <summary>
/// Access grants on shared chats (Open WebUI 0.11's <c>/api/v1/chats/shared/{id}/access</c>, keyed by the chat's id):
/// who a grant reaches reads the share, the live chat and its tags and may clone it; nobody else does.
/// </summary>
public abstract class ChatShareGrantTests(SharedApp shared)
{
    private const string NotFound = "We could not find what you're looking for :/";
    private const string Prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";

    private static async Task<string> ShareAsync(TestUser owner, string chatId) =>
        (await Json.ReadObjectAsync(await owner.Client.PostAsync($"/api/v1/chats/{chatId}/share", null), 200))["share_id"]!.GetValue<string>();

    private static async Task<JsonArray> GrantsAsync(TestUser owner, string chatId) =>
        (await Json.ReadAsync(await owner.Client.GetAsync($"/api/v1/chats/shared/{chatId}/access"), 200))!.AsArray();

    private static async Task<int> StatusAsync(TestUser user, string path) => (int)(await user.Client.GetAsync(path)).StatusCode;

    [Fact]
    public async Task AGranteeReadsTheShareTheLiveChatAndItsTagsAndClonesItAStrangerNone()
    {
        var owner = await shared.NewUserAsync("Owner");
        var reader = await shared.NewUserAsync("Reader");
        var stranger = await shared.NewUserAsync("Stranger");
        var id = await ChatDocs.CreateIdAsync(owner, "Harbour plans");
        await Json.ReadAsync(await owner.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Tides" }), 200);
        var shareId = await ShareAsync(owner, id);

        // The link alone opens nothing.
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 401, Prohibited);
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/{id}"), 401, NotFound);

        var answered = await Grants.ChatAsync(owner, id, ("user", reader.Id, "read"));
        Assert.Equal(id, answered["id"]!.GetValue<string>());
        var listed = Assert.Single(await GrantsAsync(owner, id))!;
        Assert.Equal(("user", reader.Id, "read"), (listed["principal_type"]!.GetValue<string>(), listed["principal_id"]!.GetValue<string>(),
            listed["permission"]!.GetValue<string>()));
        Assert.NotNull(listed["id"]);

        await owner.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/later", new { content = "after sharing" }).SucceedsAsync();
        var snapshot = await Json.ReadObjectAsync(await reader.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 200);
        Assert.Null(snapshot["chat"]!["history"]!["messages"]!["later"]);
        var live = await Json.ReadObjectAsync(await reader.Client.GetAsync($"/api/v1/chats/{id}"), 200);
        Assert.Equal(owner.Id, live["user_id"]!.GetValue<string>());
        Assert.Equal("after sharing", live["chat"]!["history"]!["messages"]!["later"]!["content"]!.GetValue<string>());
        var tags = (await Json.ReadAsync(await reader.Client.GetAsync($"/api/v1/chats/{id}/tags"), 200))!.AsArray();
        Assert.Equal("tides", Assert.Single(tags)!["id"]!.GetValue<string>());
        var clone = await Json.ReadObjectAsync(await reader.Client.PostAsync($"/api/v1/chats/{shareId}/clone/shared", null), 200);
        Assert.Equal(reader.Id, clone["user_id"]!.GetValue<string>());
        Assert.Contains("after sharing", await (await reader.Client.GetAsync($"/api/v1/chats/{id}/markdown")).Content.ReadAsStringAsync());

        // Reading is all a grant gives: the chat stays the owner's to change.
        await Json.AssertDetailAsync(await reader.Client.PostAsJsonAsync($"/api/v1/chats/{id}", new { chat = new { title = "mine now" } }), 401, Prohibited);
        await Json.AssertDetailAsync(await reader.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Mine" }), 401, "Something went wrong :/");
        Assert.Equal("Harbour plans", (await ChatDocs.GetAsync(owner, id))["title"]!.GetValue<string>());

        await Json.AssertDetailAsync(await stranger.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 401, Prohibited);
        await Json.AssertDetailAsync(await stranger.Client.GetAsync($"/api/v1/chats/{id}"), 401, NotFound);
        await Json.AssertDetailAsync(await stranger.Client.GetAsync($"/api/v1/chats/{id}/tags"), 401, NotFound);
        await Json.AssertDetailAsync(await stranger.Client.GetAsync($"/api/v1/chats/{id}/markdown"), 401, NotFound);
        await Json.AssertDetailAsync(await stranger.Client.PostAsync($"/api/v1/chats/{shareId}/clone/shared", null), 401, Prohibited);
        Assert.Empty(await ChatDocs.TitlesAsync(await stranger.Client.GetAsync("/api/v1/chats/")));
    }

    [Fact]
    public async Task RevokingAGrantOrUnsharingStopsAccessAtOnce()
    {
        var owner = await shared.NewUserAsync("Owner");
        var reader = await shared.NewUserAsync("Reader");
        var id = await ChatDocs.CreateIdAsync(owner, "Short-lived");
        var shareId = await ShareAsync(owner, id);
        await Grants.ChatAsync(owner, id, ("user", reader.Id, "read"));
        Assert.Equal(200, await StatusAsync(reader, $"/api/v1/chats/{id}"));

        await Grants.ChatAsync(owner, id);
        Assert.Empty(await GrantsAsync(owner, id));
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 401, Prohibited);
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/{id}"), 401, NotFound);

        await Grants.ChatAsync(owner, id, ("user", reader.Id, "read"));
        Assert.Equal(200, await StatusAsync(reader, $"/api/v1/chats/share/{shareId}"));
        await Json.ReadAsync(await owner.Client.DeleteAsync($"/api/v1/chats/{id}/share"), 200);
        Assert.Empty(await GrantsAsync(owner, id));
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 401, NotFound);
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/{id}"), 401, NotFound);
    }

    [Fact]
    public async Task AGroupGrantReachesItsMembersWhileTheyAreMembers()
    {
        var owner = await shared.NewUserAsync("Owner");
        var member = await shared.NewUserAsync("Member");
        var outsider = await shared.NewUserAsync("Outsider");
        var group = await GroupTests.CreateGroupAsync(shared.Ada, $"Crew {Guid.NewGuid():N}", null, member);
        var id = await ChatDocs.CreateIdAsync(owner, "Crew notes");
        var shareId = await ShareAsync(owner, id);
        await Grants.ChatAsync(owner, id, ("group", group, "read"));

        Assert.Equal(200, await StatusAsync(member, $"/api/v1/chats/share/{shareId}"));
        Assert.Equal(200, await StatusAsync(member, $"/api/v1/chats/{id}"));
        Assert.Equal(401, await StatusAsync(outsider, $"/api/v1/chats/share/{shareId}"));

        await Json.ReadObjectAsync(await shared.Ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{group}/users/remove",
            new { user_ids = new[] { member.Id } }), 200);
        Assert.Equal(401, await StatusAsync(member, $"/api/v1/chats/share/{shareId}"));
        Assert.Equal(401, await StatusAsync(member, $"/api/v1/chats/{id}"));
    }

    [Fact]
    public async Task EveryoneNeedsThePublicSharingPermissionWhichAdminsHave()
    {
        var owner = await shared.NewUserAsync("Owner");
        var anyone = await shared.NewUserAsync("Anyone");
        var id = await ChatDocs.CreateIdAsync(owner, "Not for everyone");
        var shareId = await ShareAsync(owner, id);
        // Without sharing.public_chats the grant to every user is dropped, as upstream filters it, not refused.
        await Grants.ChatAsync(owner, id, ("user", "*", "read"));
        Assert.Empty(await GrantsAsync(owner, id));
        Assert.Equal(401, await StatusAsync(anyone, $"/api/v1/chats/share/{shareId}"));

        var admins = await ChatDocs.CreateIdAsync(shared.Ada, "For everyone");
        var adminShare = await ShareAsync(shared.Ada, admins);
        await Grants.ChatAsync(shared.Ada, admins, ("user", "*", "read"));
        Assert.Equal(200, await StatusAsync(anyone, $"/api/v1/chats/share/{adminShare}"));
        Assert.Equal(200, await StatusAsync(shared.Eve, $"/api/v1/chats/{admins}"));
    }

    [Fact]
    public async Task OnlyTheOwnerSaysWhoReadsAGranteeCannotRegrant()
    {
        var owner = await shared.NewUserAsync("Owner");
        var reader = await shared.NewUserAsync("Reader");
        var friend = await shared.NewUserAsync("Friend");
        var id = await ChatDocs.CreateIdAsync(owner, "Mine to share");
        var shareId = await ShareAsync(owner, id);
        await Grants.ChatAsync(owner, id, ("user", reader.Id, "write"));

        var regrant = Grants.Form(("user", friend.Id, "read"));
        await Json.AssertDetailAsync(await reader.Client.PostAsJsonAsync($"/api/v1/chats/shared/{id}/access/update", regrant), 404, NotFound);
        await Json.AssertDetailAsync(await reader.Client.PostAsJsonAsync($"/api/v1/chats/shared/{shareId}/access/update", regrant), 404, NotFound);
        await Json.AssertDetailAsync(await reader.Client.GetAsync($"/api/v1/chats/shared/{id}/access"), 404, NotFound);
        await Json.AssertDetailAsync(await friend.Client.PostAsJsonAsync($"/api/v1/chats/shared/{id}/access/update", regrant), 404, NotFound);
        await Json.AssertDetailAsync(await owner.Client.PostAsJsonAsync($"/api/v1/chats/shared/{Guid.NewGuid()}/access/update", regrant), 404, NotFound);
        await Json.AssertValidationErrorAsync(await owner.Client.PostAsJsonAsync($"/api/v1/chats/shared/{id}/access/update",
            Grants.Form(("robot", friend.Id, "read"))));
        Assert.Equal(401, await StatusAsync(friend, $"/api/v1/chats/share/{shareId}"));
        Assert.Equal(reader.Id, Assert.Single(await GrantsAsync(owner, id))!["principal_id"]!.GetValue<string>());

        // The owner may name the chat by its share's id too; an admin with admin chat access may set them.
        await Grants.ChatAsync(owner, shareId, ("user", friend.Id, "read"));
        Assert.Equal(friend.Id, Assert.Single(await GrantsAsync(owner, id))!["principal_id"]!.GetValue<string>());
        await Grants.ChatAsync(shared.Ada, id);
        Assert.Empty(await GrantsAsync(owner, id));
    }
}

public sealed class ChatShareGrantTestsOnSqlite(SharedApp.OnSqlite shared) : ChatShareGrantTests(shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ChatShareGrantTestsOnPostgres(SharedApp.OnPostgres shared) : ChatShareGrantTests(shared), IClassFixture<SharedApp.OnPostgres>;
