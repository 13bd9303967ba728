using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatListTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task TheListPagesBySixtyNewestFirst()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        for (var i = 0; i < 65; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await ChatDocs.CreateIdAsync(ada, $"Chat {i:D2}");
        }
        var page1 = await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/?page=1"));
        var page2 = await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/?page=2"));
        Assert.Equal(60, page1.Count);
        Assert.Equal(5, page2.Count);
        Assert.Equal("Chat 64", page1[0]);
        Assert.Equal("Chat 00", page2[^1]);
        Assert.Equal(65, (await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/list"))).Count);
        Assert.Equal(page1, await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/?page=0")));
        var item = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/?page=1"), 200))![0]!.AsObject();
        Assert.Equal(["id", "title", "updated_at", "created_at", "last_read_at"], item.Select(p => p.Key));
    }

    [Fact]
    public async Task TheListLeavesOutArchivedPinnedAndFolderedChatsUnlessAsked()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var folder = await FolderTests.CreateFolderAsync(ada, "F");
        await ChatDocs.CreateIdAsync(ada, "Plain");
        var pinned = await ChatDocs.CreateIdAsync(ada, "Pinned");
        await ada.Client.PostAsync($"/api/v1/chats/{pinned}/pin", null).SucceedsAsync();
        await ChatDocs.CreateIdAsync(ada, "Foldered", folderId: folder);
        var archived = await ChatDocs.CreateIdAsync(ada, "Archived");
        await ada.Client.PostAsync($"/api/v1/chats/{archived}/archive", null).SucceedsAsync();

        Assert.Equal(["Plain"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/")));
        Assert.Equal(["Pinned", "Plain"], (await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/?include_pinned=true"))).Order());
        Assert.Equal(["Foldered", "Pinned", "Plain"],
            (await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/?include_pinned=true&include_folders=true"))).Order());
        Assert.Equal(["Pinned"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/pinned")));
        Assert.Equal(["Archived"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/archived")));
        var folderItems = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/folder/{folder}/list"), 200))!.AsArray();
        Assert.Equal(["title", "id", "updated_at", "last_read_at"], folderItems[0]!.AsObject().Select(p => p.Key));
        var folderChats = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/folder/{folder}"), 200))!.AsArray();
        Assert.Equal("Foldered", folderChats[0]!["title"]!.GetValue<string>());
        Assert.NotNull(folderChats[0]!["chat"]!["history"]);
    }

    [Fact]
    public async Task TheFolderTreeListIncludesSubfolders()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var top = await FolderTests.CreateFolderAsync(ada, "Top");
        var sub = await FolderTests.CreateFolderAsync(ada, "Sub", top);
        await ChatDocs.CreateIdAsync(ada, "In top", folderId: top);
        await ChatDocs.CreateIdAsync(ada, "In sub", folderId: sub);
        var tree = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/folder/{top}"), 200))!.AsArray();
        Assert.Equal(["In sub", "In top"], tree.Select(c => c!["title"]!.GetValue<string>()).Order());
        Assert.Single((await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/folder/{top}/list"), 200))!.AsArray());
    }

    [Fact]
    public async Task TheArchivedListFiltersOrdersAndRefusesBadOrdering()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        foreach (var title in new[] { "beta", "Alpha", "gamma" })
        {
            var id = await ChatDocs.CreateIdAsync(ada, title);
            await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        }
        Assert.Equal(["Alpha", "beta", "gamma"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/archived?order_by=title&direction=asc")));
        Assert.Equal(["Alpha"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/archived?query=ALP")));
        Assert.Equal(400, (int)(await ada.Client.GetAsync("/api/v1/chats/archived?order_by=password&direction=asc")).StatusCode);
        Assert.Equal(400, (int)(await ada.Client.GetAsync("/api/v1/chats/archived?order_by=title&direction=sideways")).StatusCode);
    }

    [Fact]
    public async Task ArchiveAllAndUnarchiveAllKeepUpdatedAt()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "One");
        var before = (await ChatDocs.GetAsync(ada, id))["updated_at"]!.GetValue<long>();
        Assert.True((await Json.ReadAsync(await ada.Client.PostAsync("/api/v1/chats/archive/all", null), 200))!.GetValue<bool>());
        Assert.Empty(await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/")));
        Assert.Equal(["One"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/archived")));
        await ada.Client.PostAsync("/api/v1/chats/unarchive/all", null).SucceedsAsync();
        Assert.Equal(["One"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/")));
        Assert.Equal(before, (await ChatDocs.GetAsync(ada, id))["updated_at"]!.GetValue<long>());
    }

    [Fact]
    public async Task AllStreamsEveryChatAsNdjsonByDefaultOrAsAnArrayOnRequest()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ChatDocs.CreateIdAsync(ada, "One", 3);
        var archived = await ChatDocs.CreateIdAsync(ada, "Two");
        await ada.Client.PostAsync($"/api/v1/chats/{archived}/archive", null).SucceedsAsync();
        var all = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        Assert.Equal(2, all.Count);
        Assert.Equal(6, all.Single(c => c!["title"]!.GetValue<string>() == "One")!["chat"]!["history"]!["messages"]!.AsObject().Count);
        Assert.Equal(["Two"], (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/archived"), 200))!.AsArray()
            .Select(c => c!["title"]!.GetValue<string>()));
        // Open WebUI 0.11's default, whatever the Accept header says.
        ada.Client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var ndjson = await ada.Client.GetAsync("/api/v1/chats/all");
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType!.MediaType);
        var lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(["One", "Two"], lines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["title"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task TheAdminDumpAndPerUserListNeedAdminAndTheSwitches()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's");
        await bob.Client.PostAsync($"/api/v1/chats/{bobs}/share", null).SucceedsAsync();
        var dump = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/db"), 200))!.AsArray();
        Assert.Equal(2, dump.Count);
        Assert.Contains(dump, c => c!["user_id"]!.GetValue<string>() == $"shared-{bobs}");
        Assert.Equal(["Bob's"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync($"/api/v1/chats/list/user/{bob.Id}")));
        const string prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/chats/all/db"), 401, prohibited);
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/v1/chats/list/user/{ada.Id}"), 401, prohibited);

        await using var locked = await StartAsync(new Dictionary<string, string?> { ["ENABLE_ADMIN_EXPORT"] = "false", ["ENABLE_ADMIN_CHAT_ACCESS"] = "false" });
        var admin = await locked.SignUpAsync("Ada");
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/chats/all/db"), 401, prohibited);
        await Json.AssertDetailAsync(await admin.Client.GetAsync($"/api/v1/chats/list/user/{admin.Id}"), 401, prohibited);
    }
}

public sealed class ChatListTestsOnSqlite() : ChatListTests(DatabaseKind.Sqlite);
public sealed class ChatListTestsOnPostgres() : ChatListTests(DatabaseKind.Postgres);
