using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats;

/// <summary>
/// Deep pages of the default list are read from page starts Hearth remembers; whatever changes the list,
/// here or in another Hearth process, every page must equal the same slice of the full list.
/// </summary>
public abstract class ChatListPagingTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const int Chats = 1250; // 21 pages of 60: several remembered starts (every 8th page) and a short last page

    [Fact]
    public async Task EveryPageIsTheSameSliceAsTheFullListWhateverChangesInBetween()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var ids = await ImportAsync(ada);

        // Cold, then pages near remembered starts, then the same pages again, in no particular order.
        await AssertPagesMatchAsync(ada, 17, 3, 21, 18, 9, 10, 17, 1, 19, 20, 22, 21, 11);

        // Changes through the API: a deep chat comes to the top, one leaves for the archive, one is deleted,
        // one is pinned, one is filed into a folder, and a new one arrives.
        Assert.Equal(200, (int)(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids[1100]}",
            new { chat = new { title = "Touched" } })).StatusCode);
        await ada.Client.PostAsync($"/api/v1/chats/{ids[700]}/archive", null).SucceedsAsync();
        await ada.Client.DeleteAsync($"/api/v1/chats/{ids[650]}").SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{ids[1000]}/pin", null).SucceedsAsync();
        var folder = await FolderTests.CreateFolderAsync(ada, "Filed");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids[1200]}/folder", new { folder_id = folder }).SucceedsAsync();
        await ChatDocs.CreateIdAsync(ada, "Newest");
        await AssertPagesMatchAsync(ada, 17, 18, 9, 21, 20, 12, 17);
    }

    [Fact]
    public async Task OnlyChangesToTheListsOrderOrMembersCount()
    {
        var app = shared.App;
        var ada = await shared.NewUserAsync("Ada", "admin");
        var ids = await ImportAsync(ada, count: 200);
        var folder = await FolderTests.CreateFolderAsync(ada, "Filed");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids[5]}/folder", new { folder_id = folder }).SucceedsAsync();
        var all = await IdsAsync(ada, "/api/v1/chats/");
        var top = all[0];
        var version = await VersionAsync(app, ada);

        // A reply saved into the chat at the top, and any write to a chat outside the list, move nothing.
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{top}/messages/m1", new { content = "streaming" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{top}/messages/m1", new { content = "streaming more" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids[5]}/messages/m1", new { content = "in a folder" }).SucceedsAsync();
        Assert.Equal(version, await VersionAsync(app, ada));
        Assert.Equal(all, await IdsAsync(ada, "/api/v1/chats/"));

        // A chat further down coming to the top, leaving, or joining does.
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{all[^1]}/messages/m1", new { content = "back on top" }).SucceedsAsync();
        Assert.True(await VersionAsync(app, ada) > version);
        version = await VersionAsync(app, ada);
        await ada.Client.PostAsync($"/api/v1/chats/{all[3]}/archive", null).SucceedsAsync();
        Assert.True(await VersionAsync(app, ada) > version);
        version = await VersionAsync(app, ada);
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids[5]}/folder", new { folder_id = (string?)null }).SucceedsAsync();
        Assert.True(await VersionAsync(app, ada) > version);
        await AssertPagesMatchAsync(ada, 1, 2, 3, 4);
    }

    [Fact]
    public async Task AnotherUsersListIsNotMixedIn()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        await ImportAsync(ada);
        await ImportAsync(bob, count: 600);
        await AssertPagesMatchAsync(ada, 17, 18, 9);
        await AssertPagesMatchAsync(bob, 9, 10, 11);
        Assert.Empty(await PageAsync(bob, 11));
    }

    [Fact]
    public async Task ExportsHaveEveryChatOnceAcrossTheirBatches()
    {
        // The admin export holds every user's chats: its own server.
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var ids = await ImportAsync(ada, count: 450);
        var bobs = await ImportAsync(bob, count: 130);
        // Newest first, ties by id, exactly as the list orders them.
        Assert.Equal(await IdsAsync(ada, "/api/v1/chats/"), await IdsAsync(ada, "/api/v1/chats/all?format=json"));
        Assert.Equal(ids.Order(), (await IdsAsync(ada, "/api/v1/chats/all?format=json")).Order());
        var everyone = ids.Select((id, i) => (Id: id, UpdatedAt: i / 3)).Concat(bobs.Select((id, i) => (Id: id, UpdatedAt: i / 3)))
            .OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Id);
        Assert.Equal(everyone, await IdsAsync(ada, "/api/v1/chats/all/db"));
        // The streamed statistics: oldest first, ties by id, every chat once.
        var stream = await (await ada.Client.GetAsync("/api/v1/chats/stats/export?stream=true")).Content.ReadAsStringAsync();
        var streamed = stream.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<string>()).ToList();
        var oldestFirst = ids.Select((id, i) => (Id: id, UpdatedAt: i / 3)).OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id, StringComparer.Ordinal);
        Assert.Equal(oldestFirst.Select(c => c.Id), streamed);
    }

    [Fact]
    public async Task AHugePageNumberIsPastTheEndNotTheFirstPage()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await ImportAsync(ada, count: 5);
        foreach (var path in new[] { "/api/v1/chats/?page=2147483647", "/api/v1/chats/?page=40000000", "/api/v1/chats/archived?page=40000000",
            "/api/v1/chats/shared?page=40000000", "/api/v1/chats/stats/usage?page=40000000" })
        {
            var body = await Json.ReadAsync(await ada.Client.GetAsync(path), 200);
            var items = body is JsonObject obj ? obj["items"]!.AsArray() : body!.AsArray();
            Assert.True(items.Count == 0, path);
        }
        var export = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/stats/export?page=40000000"), 200);
        Assert.Empty(export["items"]!.AsArray());
        var users = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/?page=40000000"), 200);
        Assert.Empty(users["users"]!.AsArray());
    }

    /// <summary>Chats with updated_at values that tie in threes, so a page start inside a tie is exercised.</summary>
    internal static async Task<List<string>> ImportAsync(TestUser user, int count = Chats)
    {
        var ids = new List<string>();
        for (var first = 0; first < count; first += 250)
        {
            var chats = new JsonArray();
            for (var i = first; i < Math.Min(first + 250, count); i++)
            {
                chats.Add(new JsonObject
                {
                    ["chat"] = new JsonObject { ["title"] = $"Chat {i}", ["history"] = new JsonObject { ["messages"] = new JsonObject() } },
                    ["created_at"] = 1_700_000_000 + i,
                    ["updated_at"] = 1_700_000_000 + i / 3,
                });
            }
            var created = await Json.ReadAsync(await user.Client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = chats }), 200);
            ids.AddRange(created!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        }
        return ids;
    }

    private static async Task<long> VersionAsync(HearthApp app, TestUser user)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT version FROM chat_list_versions WHERE user_id = @id", new { id = user.Id });
    }

    internal static async Task AssertPagesMatchAsync(TestUser user, params int[] pages)
    {
        var all = await IdsAsync(user, "/api/v1/chats/");
        foreach (var page in pages)
        {
            Assert.Equal(all.Skip((page - 1) * 60).Take(60), await PageAsync(user, page));
        }
    }

    private static Task<List<string>> PageAsync(TestUser user, int page) => IdsAsync(user, $"/api/v1/chats/?page={page}");

    private static async Task<List<string>> IdsAsync(TestUser user, string path) =>
        (await Json.ReadAsync(await user.Client.GetAsync(path), 200))!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
}

public sealed class ChatListPagingTestsOnSqlite(SharedApp.OnSqlite shared)
    : ChatListPagingTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;

public sealed class ChatListPagingTestsOnPostgres(SharedApp.OnPostgres shared)
    : ChatListPagingTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>
{
    [Fact]
    public async Task AChangeMadeByAnotherHearthProcessIsSeenOnTheNextPage()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared-secret-for-both-processes" };
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, secret);
        var ada = await first.SignUpAsync("Ada");
        var ids = await ImportAsync(ada);
        await AssertPagesMatchAsync(ada, 17, 18, 9);

        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, secret, databaseUrl: first.DatabaseUrl);
        var adaThere = second.Client(ada.Token);
        Assert.Equal(200, (int)(await adaThere.DeleteAsync($"/api/v1/chats/{ids[300]}")).StatusCode);
        Assert.Equal(200, (int)(await adaThere.PostAsync($"/api/v1/chats/{ids[1240]}/archive", null)).StatusCode);
        await AssertPagesMatchAsync(ada, 17, 18, 9, 21);
    }
}
