using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatSearchTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task<List<string>> Search(TestUser user, string text, int page = 1) =>
        (await ChatDocs.TitlesAsync(await user.Client.GetAsync($"/api/v1/chats/search?text={Uri.EscapeDataString(text)}&page={page}"))).Order().ToList();

    private static async Task<(HearthApp App, TestUser Ada, Dictionary<string, string> Ids)> SeedAsync(HearthTest test, Func<Task<HearthApp>> start)
    {
        var app = await start();
        var ada = await app.SignUpAsync("Ada");
        var ids = new Dictionary<string, string>();
        var recipes = ChatDocs.Conversation("Dinner Recipes", 1);
        recipes["history"]!["messages"]!["a0"]!["content"] = "Try the Crème Brûlée with raspberries";
        ids["recipes"] = (await ChatDocs.CreateAsync(ada, recipes))["id"]!.GetValue<string>();
        ids["trip"] = await ChatDocs.CreateIdAsync(ada, "Trip to Lisbon");
        var work = await FolderTests.CreateFolderAsync(ada, "Work_Stuff");
        var sub = await FolderTests.CreateFolderAsync(ada, "Reports", work);
        ids["report"] = await ChatDocs.CreateIdAsync(ada, "Quarterly report", folderId: sub);
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids["recipes"]}/tags", new { name = "Food" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids["recipes"]}/tags", new { name = "Home Life" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids["trip"]}/tags", new { name = "Home Life" }).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{ids["trip"]}/pin", null).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{ids["report"]}/share", null).SucceedsAsync();
        ids["old"] = await ChatDocs.CreateIdAsync(ada, "Old archived recipes");
        await ada.Client.PostAsync($"/api/v1/chats/{ids["old"]}/archive", null).SucceedsAsync();
        return (app, ada, ids);
    }

    [Fact]
    public async Task TextMatchesTitlesAndEveryMessageCaseInsensitively()
    {
        var (app, ada, _) = await SeedAsync(this, () => StartAsync());
        await using var _app = app;
        Assert.Equal(["Dinner Recipes"], await Search(ada, "recipes"));
        Assert.Equal(["Dinner Recipes"], await Search(ada, "CRÈME brûlée"));
        Assert.Equal(["Dinner Recipes"], await Search(ada, "rasp"));
        // History messages off the flat list are searched too ("quick brown fox" is only in history user messages).
        Assert.Equal(["Dinner Recipes", "Quarterly report", "Trip to Lisbon"], await Search(ada, "quick brown"));
        // Every word, in any order, anywhere in the chat (Open WebUI 0.11).
        Assert.Equal(["Dinner Recipes", "Quarterly report", "Trip to Lisbon"], await Search(ada, "brown quick"));
        Assert.Equal(["Dinner Recipes"], await Search(ada, "raspberries dinner"));
        Assert.Equal(["Dinner Recipes"], await Search(ada, "question crème"));
        Assert.Empty(await Search(ada, "raspberries lisbon"));
        Assert.Equal(["Trip to Lisbon"], await Search(ada, "li"));
    }

    [Fact]
    public async Task ChatsWithOnlyALegacyFlatMessagesListAreFound()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var legacy = new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = "Old export",
            ["messages"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = "Where do zebras sleep?" },
                new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = "Standing up, mostly." }),
        };
        await ChatDocs.CreateAsync(ada, legacy);
        await ChatDocs.CreateIdAsync(ada, "Other");
        Assert.Equal(["Old export"], await Search(ada, "zebras"));
        Assert.Equal(["Old export"], await Search(ada, "standing zebras"));
        Assert.Empty(await Search(ada, "zebras giraffes"));
        var bob = await app.AddUserAsync(ada, "Bob");
        Assert.Empty(await Search(bob, "zebras"));
    }

    [Fact]
    public async Task FiltersCombineWithTheNeedle()
    {
        var (app, ada, _) = await SeedAsync(this, () => StartAsync());
        await using var _app = app;
        Assert.Equal(["Dinner Recipes", "Trip to Lisbon"], await Search(ada, "tag:home_life"));
        Assert.Equal(["Dinner Recipes"], await Search(ada, "tag:home_life tag:food"));
        Assert.Equal(["Quarterly report"], await Search(ada, "tag:none"));
        Assert.Equal(["Trip to Lisbon"], await Search(ada, "pinned:true"));
        Assert.Equal(["Dinner Recipes", "Quarterly report"], await Search(ada, "pinned:false"));
        Assert.Equal(["Old archived recipes"], await Search(ada, "archived:true"));
        Assert.Equal(["Old archived recipes"], await Search(ada, "recipes archived:true"));
        Assert.Equal(["Quarterly report"], await Search(ada, "shared:true"));
        Assert.Equal(["Quarterly report"], await Search(ada, "folder:work_stuff"));
        Assert.Equal(["Quarterly report"], await Search(ada, "folder:reports quarterly"));
        // An unresolved folder name applies no folder filter (upstream quirk).
        Assert.Equal(["Dinner Recipes", "Quarterly report", "Trip to Lisbon"], await Search(ada, "folder:nowhere"));
        Assert.Equal(["Trip to Lisbon"], await Search(ada, "pinned:maybe lisbon"));
    }

    [Fact]
    public async Task AnEmptyNeedleListsTheNonArchivedChats()
    {
        var (app, ada, _) = await SeedAsync(this, () => StartAsync());
        await using var _app = app;
        Assert.Equal(["Dinner Recipes", "Quarterly report", "Trip to Lisbon"], await Search(ada, "   "));
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/v1/chats/search"));
    }

    [Fact]
    public async Task SearchSeesEveryWritePathAndOnlyTheCallersChats()
    {
        var (app, ada, ids) = await SeedAsync(this, () => StartAsync());
        await using var _app = app;
        var bob = await app.AddUserAsync(ada, "Bob");
        await ChatDocs.CreateIdAsync(bob, "Bob's dinner recipes");
        Assert.Equal(["Bob's dinner recipes"], await Search(bob, "recipes"));

        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids["trip"]}/messages/new-one", new { content = "Remember the zebra crossing" }).SucceedsAsync();
        Assert.Equal(["Trip to Lisbon"], await Search(ada, "zebra"));
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids["trip"]}/messages/new-one/event",
            new { type = "replace", data = new { content = "now about giraffes" } }).SucceedsAsync();
        Assert.Empty(await Search(ada, "zebra"));
        Assert.Equal(["Trip to Lisbon"], await Search(ada, "giraffe"));
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{ids["trip"]}", new { chat = new { title = "Trip to Porto" } }).SucceedsAsync();
        Assert.Equal(["Trip to Porto"], await Search(ada, "porto"));
        Assert.Empty(await Search(ada, "lisbon"));
        await ada.Client.DeleteAsync($"/api/v1/chats/{ids["trip"]}").SucceedsAsync();
        Assert.Empty(await Search(ada, "giraffe"));
    }

    [Fact]
    public async Task ALoneTagSearchWithoutResultsDeletesTheTag()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "Tagged");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Stale" }).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        Assert.Single((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/tags"), 200))!.AsArray());
        await ada.Client.DeleteAsync($"/api/v1/chats/{id}").SucceedsAsync();
        await ada.Client.GetAsync("/api/v1/chats/search?text=tag:stale").SucceedsAsync();
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/tags"), 200))!.AsArray());
    }
}

public sealed class ChatSearchTestsOnSqlite() : ChatSearchTests(DatabaseKind.Sqlite);
public sealed class ChatSearchTestsOnPostgres() : ChatSearchTests(DatabaseKind.Postgres);
