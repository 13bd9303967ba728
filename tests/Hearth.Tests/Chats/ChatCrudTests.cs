using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatCrudTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    [Fact]
    public async Task CreateAnswersTheChatResponseShapeWithTheDocumentVerbatim()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var doc = ChatDocs.Conversation("Trip planning", 2);
        doc["zeta"] = new JsonObject { ["keepMe"] = 1, ["alpha"] = "ünïcödé" };
        var created = await ChatDocs.CreateAsync(ada, doc);
        Assert.Equal(ada.Id, created["user_id"]!.GetValue<string>());
        Assert.Equal("Trip planning", created["title"]!.GetValue<string>());
        Assert.False(created["archived"]!.GetValue<bool>());
        Assert.False(created["pinned"]!.GetValue<bool>());
        Assert.Null(created["share_id"]);
        Assert.Null(created["folder_id"]);
        Assert.Equal("{}", created["meta"]!.ToJsonString());
        Assert.True(created["created_at"]!.GetValue<long>() > 1_600_000_000);
        Assert.True(JsonNode.DeepEquals(doc, created["chat"]), created["chat"]!.ToJsonString());
        Assert.Equal(doc.Select(p => p.Key), created["chat"]!.AsObject().Select(p => p.Key));

        var read = await ChatDocs.GetAsync(ada, created["id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(doc, read["chat"]));
        Assert.Equal(doc["history"]!["messages"]!.AsObject().Select(p => p.Key), read["chat"]!["history"]!["messages"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("{\"title\": null}")]
    [InlineData("{\"title\": 42}")]
    [InlineData("{}")]
    public async Task AMissingOrNonStringTitleFallsBackToNewChat(string chat)
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var created = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/chats/new", Json.Raw($$"""{"chat": {{chat}}}""")), 200);
        Assert.Equal("New Chat", created["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task NulCharactersAreStripped()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var created = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/chats/new",
            Json.Raw("""{"chat": {"title": "a\u0000b", "history": {"messages": {"m1": {"content": "x\u0000y"}}, "currentId": "m1"}}}""")), 200);
        Assert.Equal("ab", created["title"]!.GetValue<string>());
        Assert.Equal("xy", created["chat"]!["history"]!["messages"]!["m1"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateIsAShallowMergeThatKeepsTheStoredHistory()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Before", 2);
        var updated = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}",
            new { chat = new { title = "Just another title", extra = true } }), 200);
        Assert.Equal("Just another title", updated["title"]!.GetValue<string>());
        Assert.True(updated["chat"]!["extra"]!.GetValue<bool>());
        Assert.Equal(4, updated["chat"]!["history"]!["messages"]!.AsObject().Count);
        Assert.Equal("a1", updated["chat"]!["history"]!["currentId"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateWithAHistoryMergesItAndOnlyTheDeleteRouteRemovesMessages()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", 2);
        // The copy edits a0, adds a third turn and lacks u1: u1 is kept, not deleted.
        var next = ChatDocs.Conversation("Chat", 3);
        next["history"]!["messages"]!["a0"]!["content"] = "Edited answer";
        next["history"]!["messages"]!.AsObject().Remove("u1");
        var updated = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}", new { chat = next }), 200);
        var expected = ChatDocs.Conversation("Chat", 3);
        expected["history"]!["messages"]!["a0"]!["content"] = "Edited answer";
        Assert.True(JsonNode.DeepEquals(expected["history"]!["messages"], updated["chat"]!["history"]!["messages"]),
            updated["chat"]!["history"]!["messages"]!.ToJsonString());
        Assert.Equal(expected["history"]!["messages"]!.AsObject().Select(p => p.Key),
            updated["chat"]!["history"]!["messages"]!.AsObject().Select(p => p.Key));
        var reread = await ChatDocs.GetAsync(ada, id);
        Assert.True(JsonNode.DeepEquals(expected, reread["chat"]), reread["chat"]!.ToJsonString());

        // Removing a message is explicit: DELETE /{id}/messages/{message_id} takes it and its descendants.
        Assert.Equal(id, (await Json.ReadObjectAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}/messages/u2"), 200))["id"]!.GetValue<string>());
        Assert.Equal(["u0", "a0", "u1", "a1"], (await ChatDocs.GetAsync(ada, id))["chat"]!["history"]!["messages"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task AReorderedHistoryKeepsTheNewOrder()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", 2);
        var doc = ChatDocs.Conversation("Chat", 2);
        var reversed = new JsonObject();
        foreach (var (key, value) in doc["history"]!["messages"]!.AsObject().Reverse().ToList())
        {
            reversed[key] = value!.DeepClone();
        }
        doc["history"]!["messages"] = reversed;
        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}", new { chat = doc }), 200);
        var read = await ChatDocs.GetAsync(ada, id);
        Assert.Equal(["a1", "u1", "a0", "u0"], read["chat"]!["history"]!["messages"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task PinToggleAndPinnedFlag()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        Assert.False((await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/{id}/pinned"), 200))!.GetValue<bool>());
        var pinned = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null), 200);
        Assert.True(pinned["pinned"]!.GetValue<bool>());
        Assert.True((await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/{id}/pinned"), 200))!.GetValue<bool>());
        var unpinned = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null), 200);
        Assert.False(unpinned["pinned"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ArchiveTogglesAndLeavesTheFolder()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var folder = await FolderTests.CreateFolderAsync(ada, "Work");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", folderId: folder);
        var archived = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null), 200);
        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.Null(archived["folder_id"]);
        var back = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null), 200);
        Assert.False(back["archived"]!.GetValue<bool>());
    }

    [Fact]
    public async Task MovingToAFolderUnpinsAndChecksTheFolder()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        var folder = await FolderTests.CreateFolderAsync(ada, "Work");
        var bobsFolder = await FolderTests.CreateFolderAsync(bob, "Bob's");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null).SucceedsAsync();
        var moved = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/folder", new { folder_id = folder }), 200);
        Assert.Equal(folder, moved["folder_id"]!.GetValue<string>());
        Assert.False(moved["pinned"]!.GetValue<bool>());
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/folder", new { folder_id = bobsFolder }), 404,
            "We could not find what you're looking for :/");
        Assert.Equal(folder, (await ChatDocs.GetAsync(ada, id))["folder_id"]!.GetValue<string>());
        var outOfFolder = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/folder", new { folder_id = (string?)null }), 200);
        Assert.Null(outOfFolder["folder_id"]);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/chats/new", new { chat = new { title = "x" }, folder_id = bobsFolder }), 404,
            "We could not find what you're looking for :/");
    }

    [Fact]
    public async Task CloneCopiesTheChatWithItsOrigin()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Original", 2);
        var clone = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/clone", new { }), 200);
        Assert.NotEqual(id, clone["id"]!.GetValue<string>());
        Assert.Equal("Clone of Original", clone["title"]!.GetValue<string>());
        Assert.Equal(id, clone["chat"]!["originalChatId"]!.GetValue<string>());
        Assert.Equal("a1", clone["chat"]!["branchPointMessageId"]!.GetValue<string>());
        Assert.Equal(4, clone["chat"]!["history"]!["messages"]!.AsObject().Count);
        var named = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/clone", new { title = "Mine" }), 200);
        Assert.Equal("Mine", named["title"]!.GetValue<string>());
        Assert.Equal("Mine", named["chat"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task CloneOfAChatWithoutHistoryHasNoBranchPoint()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = (await ChatDocs.CreateAsync(ada, new JsonObject { ["title"] = "Bare" }))["id"]!.GetValue<string>();
        var clone = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/clone", new { }), 200);
        Assert.True(clone["chat"]!.AsObject().ContainsKey("branchPointMessageId"));
        Assert.Null(clone["chat"]!["branchPointMessageId"]);
    }

    [Fact]
    public async Task ImportKeepsTimestampsMetaAndPins()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var response = await ada.Client.PostAsJsonAsync("/api/v1/chats/import", new
        {
            chats = new object[]
            {
                new { chat = ChatDocs.Conversation("Old one", 1), meta = new { tags = new[] { "work" } }, pinned = true, created_at = 1_600_000_000, updated_at = 1_600_000_100 },
                new { chat = ChatDocs.Conversation("Second", 2), meta = new { }, pinned = false, created_at = (long?)null, updated_at = (long?)null },
            },
        });
        var chats = (await Json.ReadAsync(response, 200))!.AsArray();
        Assert.Equal(2, chats.Count);
        Assert.Equal(1_600_000_000, chats[0]!["created_at"]!.GetValue<long>());
        Assert.Equal(1_600_000_100, chats[0]!["updated_at"]!.GetValue<long>());
        Assert.True(chats[0]!["pinned"]!.GetValue<bool>());
        Assert.Equal("work", chats[0]!["meta"]!["tags"]![0]!.GetValue<string>());
        Assert.False(chats[1]!["archived"]!.GetValue<bool>());
        // Imported tags become the importer's tags, as upstream's import route makes them.
        var tags = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/tags"), 200))!.AsArray();
        Assert.Equal(["work"], tags.Select(t => t!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeleteRemovesTheChatItsSharesAndOrphanTags()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Doomed");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Gone Soon" }).SucceedsAsync();
        var share = (await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200))["id"]!.GetValue<string>();
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}"), 200))!.GetValue<bool>());
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/v1/chats/{id}"), 401, "We could not find what you're looking for :/");
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/v1/chats/share/{share}"), 401, "We could not find what you're looking for :/");
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/tags"), 200))!.AsArray());
        await Json.AssertDetailAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}"), 404, "We could not find what you're looking for :/");
    }

    [Fact]
    public async Task DeleteAllRemovesOnlyTheCallersChats()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        await ChatDocs.CreateIdAsync(ada, "A1");
        await ChatDocs.CreateIdAsync(ada, "A2");
        var bobs = await ChatDocs.CreateIdAsync(bob, "B1");
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync("/api/v1/chats/"), 200))!.GetValue<bool>());
        Assert.Empty(await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/")));
        Assert.Equal("B1", (await ChatDocs.GetAsync(bob, bobs))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingIsRefusedWithoutTheDeletePermission()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["USER_PERMISSIONS_CHAT_DELETE"] = "false" });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await ChatDocs.CreateIdAsync(bob, "Keep");
        const string prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync($"/api/v1/chats/{id}"), 401, prohibited);
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync("/api/v1/chats/"), 401, prohibited);
        Assert.Equal("Keep", (await ChatDocs.GetAsync(bob, id))["title"]!.GetValue<string>());
    }
}

public sealed class ChatCrudTestsOnSqlite(SharedApp.OnSqlite shared)
    : ChatCrudTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ChatCrudTestsOnPostgres(SharedApp.OnPostgres shared)
    : ChatCrudTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
