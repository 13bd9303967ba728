using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatShareTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string NotFound = "We could not find what you're looking for :/";

    [Fact]
    public async Task AShareIsAFrozenSnapshotRefreshedOnReshareWithTheSameId()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await ChatDocs.CreateIdAsync(ada, "Shared chat", 1);
        var snapshot = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200);
        var shareId = snapshot["id"]!.GetValue<string>();
        Assert.NotEqual(id, shareId);
        Assert.Equal(shareId, snapshot["share_id"]!.GetValue<string>());
        Assert.Equal($"shared-{id}", snapshot["user_id"]!.GetValue<string>());
        Assert.Equal(shareId, (await ChatDocs.GetAsync(ada, id))["share_id"]!.GetValue<string>());

        await Grants.ChatAsync(ada, id, ("user", bob.Id, "read"));
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/later", new { content = "after sharing" }).SucceedsAsync();
        var seen = await Json.ReadObjectAsync(await bob.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 200);
        Assert.Null(seen["chat"]!["history"]!["messages"]!["later"]);

        var refreshed = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200);
        Assert.Equal(shareId, refreshed["id"]!.GetValue<string>());
        var seenAgain = await Json.ReadObjectAsync(await bob.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 200);
        Assert.Equal("after sharing", seenAgain["chat"]!["history"]!["messages"]!["later"]!["content"]!.GetValue<string>());
        // Snapshots never show in anyone's lists.
        Assert.Equal(["Shared chat"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/")));
    }

    [Fact]
    public async Task UnshareRevokesAndAnswersFalseWhenNotShared()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        Assert.False((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}/share"), 200))!.GetValue<bool>());
        var shareId = (await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200))["id"]!.GetValue<string>();
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}/share"), 200))!.GetValue<bool>());
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 401, NotFound);
        Assert.Null((await ChatDocs.GetAsync(ada, id))["share_id"]);
    }

    [Fact]
    public async Task TheSharedListAndRevokingAll()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var one = await ChatDocs.CreateIdAsync(ada, "One");
        var two = await ChatDocs.CreateIdAsync(ada, "Two");
        await ChatDocs.CreateIdAsync(ada, "Private");
        var share = (await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{one}/share", null), 200))["id"]!.GetValue<string>();
        await ada.Client.PostAsync($"/api/v1/chats/{two}/share", null).SucceedsAsync();
        Assert.Equal(["One", "Two"], (await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/shared"))).Order());
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync("/api/v1/chats/share/all"), 200))!.GetValue<bool>());
        Assert.Empty(await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/shared")));
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/v1/chats/share/{share}"), 401, NotFound);
    }

    [Fact]
    public async Task OpeningASharePendingUsersAndSignedOutVisitors()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var pending = await app.AddUserAsync(ada, "Pat", "pending");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        var share = (await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200))["id"]!.GetValue<string>();
        await Json.AssertDetailAsync(await pending.Client.GetAsync($"/api/v1/chats/share/{share}"), 401, NotFound);
        await Json.AssertDetailAsync(await app.Client().GetAsync($"/api/v1/chats/share/{share}"), 403, "Not authenticated");
        // A user may not open a chat by its own id through the share route; the admin viewer may.
        var bob = await app.AddUserAsync(ada, "Bob");
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's secret");
        await Json.AssertDetailAsync(await pending.Client.GetAsync($"/api/v1/chats/share/{bobs}"), 401, NotFound);
        await Json.AssertDetailAsync(await ada.Client.PostAsync($"/api/v1/chats/{bobs}/share", null), 401,
            "You do not have permission to access this resource. Please contact your administrator for assistance.");
        Assert.Equal("Bob's secret", (await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/chats/share/{bobs}"), 200))["title"]!.GetValue<string>());

        await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/auths/admin/config", Json.Raw("""{"ENABLE_PUBLIC_SHARES": true}""")), 200);
        Assert.Equal("Chat", (await Json.ReadObjectAsync(await app.Client().GetAsync($"/api/v1/chats/share/{share}"), 200))["title"]!.GetValue<string>());
        await Json.AssertDetailAsync(await app.Client().GetAsync($"/api/v1/chats/share/{bobs}"), 401, NotFound);
    }

    [Fact]
    public async Task CloningAShareGivesTheCallerTheirOwnChat()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var folder = await FolderTests.CreateFolderAsync(ada, "Ada's folder");
        var id = await ChatDocs.CreateIdAsync(ada, "Recipe", 2, folder);
        var share = (await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200))["id"]!.GetValue<string>();
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/chats/{share}/clone/shared", null), 401,
            "You do not have permission to access this resource. Please contact your administrator for assistance.");
        await Grants.ChatAsync(ada, id, ("user", bob.Id, "read"));
        var clone = await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/chats/{share}/clone/shared", null), 200);
        Assert.Equal(bob.Id, clone["user_id"]!.GetValue<string>());
        Assert.Equal("Clone of Recipe", clone["title"]!.GetValue<string>());
        Assert.Null(clone["folder_id"]);
        Assert.Equal(4, clone["chat"]!["history"]!["messages"]!.AsObject().Count);
        Assert.Equal(["Clone of Recipe"], await ChatDocs.TitlesAsync(await bob.Client.GetAsync("/api/v1/chats/")));
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/chats/{id}/clone/shared", null), 401, "Something went wrong :/");
    }

    [Fact]
    public async Task SharingNeedsTheSharePermission()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["USER_PERMISSIONS_CHAT_SHARE"] = "false" });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await ChatDocs.CreateIdAsync(bob, "Chat");
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/chats/{id}/share", null), 401,
            "You do not have permission to access this resource. Please contact your administrator for assistance.");
        Assert.Null((await ChatDocs.GetAsync(bob, id))["share_id"]);
    }

    [Fact]
    public async Task SharingRacingBulkDeletesNeitherFailsNorLeavesSnapshots()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await ChatDocs.CreateIdAsync(ada, $"Shared {i}"));
            await ada.Client.PostAsync($"/api/v1/chats/{ids[^1]}/share", null).SucceedsAsync();
        }
        // Sharing takes a chat and then its snapshot; the bulk routes must take them in the same order.
        var requests = ids.SelectMany(id => new[]
        {
            ada.Client.PostAsync($"/api/v1/chats/{id}/share", null),
            ada.Client.DeleteAsync($"/api/v1/chats/{id}/share"),
        }).Append(ada.Client.DeleteAsync("/api/v1/chats/share/all")).Append(ada.Client.DeleteAsync("/api/v1/chats/")).ToList();
        var statuses = (await Task.WhenAll(requests)).Select(r => (int)r.StatusCode).ToList();
        Assert.All(statuses, status => Assert.True(status < 500, $"a request answered {status}"));
        await ada.Client.DeleteAsync("/api/v1/chats/").SucceedsAsync();
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/db"), 200))!.AsArray());
    }
}

public sealed class ChatShareTestsOnSqlite() : ChatShareTests(DatabaseKind.Sqlite);
public sealed class ChatShareTestsOnPostgres() : ChatShareTests(DatabaseKind.Postgres);
