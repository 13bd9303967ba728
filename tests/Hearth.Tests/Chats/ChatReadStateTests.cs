using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

/// <summary>Open WebUI 0.11's read state: last_read_at, /unread, /read, folders/{id}/read, archived/count, folder sorting.</summary>
public abstract class ChatReadStateTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task<JsonObject> ListedAsync(TestUser user, string id) =>
        (await Json.ReadAsync(await user.Client.GetAsync("/api/v1/chats/?include_folders=true&include_pinned=true"), 200))!.AsArray()
            .Single(c => c!["id"]!.GetValue<string>() == id)!.AsObject();

    private static bool Unread(JsonObject chat) =>
        chat["last_read_at"] is null || chat["last_read_at"]!.GetValue<long>() < chat["updated_at"]!.GetValue<long>();

    private static async Task<Dictionary<string, int>> FolderCountsAsync(TestUser user) =>
        (await Json.ReadAsync(await user.Client.GetAsync("/api/v1/folders/"), 200))!.AsArray()
            .ToDictionary(f => f!["id"]!.GetValue<string>(), f => f!["unread_count"]!.GetValue<int>());

    [Fact]
    public async Task AChangeTheOwnerDidNotSeeMakesTheChatUnreadUntilOpened()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        Assert.False(Unread(await ListedAsync(ada, id)));

        clock.Advance(TimeSpan.FromMinutes(1));
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/a0/event", new { type = "message", data = new { content = " more" } }).SucceedsAsync();
        Assert.True(Unread(await ListedAsync(ada, id)));
        // An admin looking does not read it for its owner; the owner opening it does.
        var bob = await app.AddUserAsync(ada, "Bob");
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's");
        clock.Advance(TimeSpan.FromMinutes(1));
        await bob.Client.PostAsJsonAsync($"/api/v1/chats/{bobs}/messages/a0/event", new { type = "replace", data = new { content = "x" } }).SucceedsAsync();
        Assert.Equal(200, (int)(await ada.Client.GetAsync($"/api/v1/chats/{bobs}")).StatusCode);
        Assert.True(Unread(await ListedAsync(bob, bobs)));
        var opened = await ChatDocs.GetAsync(ada, id);
        Assert.False(Unread(opened));
        Assert.False(Unread(await ListedAsync(ada, id)));

        // Pinning (the owner's own change) keeps it read; saving the whole chat reads it.
        clock.Advance(TimeSpan.FromMinutes(1));
        await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null).SucceedsAsync();
        Assert.False(Unread(await ListedAsync(ada, id)));
        await ada.Client.PostAsync($"/api/v1/chats/{id}/unread", null).SucceedsAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null).SucceedsAsync();
        Assert.True(Unread(await ListedAsync(ada, id)));
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}", new { chat = new { title = "Renamed" } }).SucceedsAsync();
        Assert.False(Unread(await ListedAsync(ada, id)));
    }

    [Fact]
    public async Task UnreadReadAllAndFolderReadKeepFolderCountsInStep()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var project = await FolderTests.CreateFolderAsync(ada, "Project");
        var sub = await FolderTests.CreateFolderAsync(ada, "Sub", project);
        var inProject = await ChatDocs.CreateIdAsync(ada, "In project", folderId: project);
        var inSub = await ChatDocs.CreateIdAsync(ada, "In sub", folderId: sub);
        var loose = await ChatDocs.CreateIdAsync(ada, "Loose");

        var answer = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{inSub}/unread", null), 200);
        Assert.Equal(inSub, answer["chat_id"]!.GetValue<string>());
        Assert.Null(answer["last_read_at"]);
        Assert.Equal(sub, answer["folder_id"]!.GetValue<string>());
        Assert.Equal(1, answer["folder_unread_counts"]![project]!.GetValue<int>());
        Assert.Equal(1, answer["folder_unread_counts"]![sub]!.GetValue<int>());
        await ada.Client.PostAsync($"/api/v1/chats/{inProject}/unread", null).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{loose}/unread", null).SucceedsAsync();
        Assert.Equal(new Dictionary<string, int> { [project] = 2, [sub] = 1 }, await FolderCountsAsync(ada));

        var folderRead = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/folders/{project}/read", null), 200);
        Assert.Equal(project, folderRead["folder_id"]!.GetValue<string>());
        Assert.Equal(new[] { project, sub }.Order(), folderRead["folder_ids"]!.AsArray().Select(f => f!.GetValue<string>()).Order());
        Assert.Equal(2, folderRead["updated_count"]!.GetValue<int>());
        Assert.Equal(0, folderRead["folder_unread_counts"]![project]!.GetValue<int>());
        Assert.True(Unread(await ListedAsync(ada, loose)));

        var all = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/chats/read", null), 200);
        Assert.Equal(1, all["updated_count"]!.GetValue<int>());
        Assert.False(Unread(await ListedAsync(ada, loose)));
        Assert.Equal(0, (await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/chats/read", null), 200))["updated_count"]!.GetValue<int>());

        var bob = await app.AddUserAsync(ada, "Bob");
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/chats/{loose}/unread", null), 404, "We could not find what you're looking for :/");
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/folders/{project}/read", null), 404, "We could not find what you're looking for :/");
        Assert.False(Unread(await ListedAsync(ada, loose)));
    }

    [Fact]
    public async Task ArchivedCountCountsTheCallersArchivedChats()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        foreach (var title in new[] { "One", "Two", "Three" })
        {
            var id = await ChatDocs.CreateIdAsync(ada, title);
            if (title != "Three")
            {
                await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
            }
        }
        Assert.Equal(2, (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/archived/count"), 200))!.GetValue<long>());
        Assert.Equal(0, (await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/chats/archived/count"), 200))!.GetValue<long>());
    }

    [Fact]
    public async Task FolderChatListsSortUnreadFirstByDefaultOrAsAsked()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var folder = await FolderTests.CreateFolderAsync(ada, "F");
        foreach (var title in new[] { "Beta", "Alpha", "Gamma" })
        {
            await ChatDocs.CreateIdAsync(ada, title, folderId: folder);
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        var list = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/folder/{folder}/list"), 200))!.AsArray();
        var alpha = list.Single(c => c!["title"]!.GetValue<string>() == "Alpha")!["id"]!.GetValue<string>();
        Assert.Equal(["Gamma", "Alpha", "Beta"], list.Select(c => c!["title"]!.GetValue<string>()));
        Assert.NotNull(list[0]!["last_read_at"]);
        var beta = list.Single(c => c!["title"]!.GetValue<string>() == "Beta")!["id"]!.GetValue<string>();
        await ada.Client.PostAsync($"/api/v1/chats/{beta}/unread", null).SucceedsAsync();
        async Task<IEnumerable<string>> Titles(string query) =>
            (await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/folder/{folder}/list{query}"), 200))!.AsArray()
                .Select(c => c!["title"]!.GetValue<string>());
        Assert.Equal(["Beta", "Gamma", "Alpha"], await Titles(""));
        Assert.Equal(["Beta", "Alpha", "Gamma"], await Titles("?sort_by=unread_updated_at&sort_dir=asc"));
        Assert.Equal(["Alpha", "Beta", "Gamma"], await Titles("?sort_by=title&sort_dir=asc"));
        Assert.Equal(["Gamma", "Alpha", "Beta"], await Titles("?sort_by=updated_at"));
        Assert.Equal(["Beta", "Alpha", "Gamma"], await Titles("?sort_by=created_at&sort_dir=asc"));
        Assert.Equal(400, (int)(await ada.Client.GetAsync($"/api/v1/chats/folder/{folder}/list?sort_by=doc")).StatusCode);
        Assert.Equal(400, (int)(await ada.Client.GetAsync($"/api/v1/chats/folder/{folder}/list?sort_dir=sideways")).StatusCode);
        Assert.NotNull(alpha);
    }
}

public sealed class ChatReadStateTestsOnSqlite() : ChatReadStateTests(DatabaseKind.Sqlite);
public sealed class ChatReadStateTestsOnPostgres() : ChatReadStateTests(DatabaseKind.Postgres);
