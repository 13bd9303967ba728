using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatTagTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task<List<string>> TagIds(HttpResponseMessage response) =>
        (await Json.ReadAsync(response, 200))!.AsArray().Select(t => t!["id"]!.GetValue<string>()).Order().ToList();

    [Fact]
    public async Task TheTagLifeCycle()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var one = await ChatDocs.CreateIdAsync(ada, "One");
        var two = await ChatDocs.CreateIdAsync(ada, "Two");
        var before = (await ChatDocs.GetAsync(ada, one))["updated_at"]!.GetValue<long>();

        var added = (await Json.ReadAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{one}/tags", new { name = "Work Stuff" }), 200))!.AsArray();
        var tag = Assert.Single(added)!;
        Assert.Equal("work_stuff", tag["id"]!.GetValue<string>());
        Assert.Equal("Work Stuff", tag["name"]!.GetValue<string>());
        Assert.Equal(ada.Id, tag["user_id"]!.GetValue<string>());
        Assert.Equal(["work_stuff"], (await ChatDocs.GetAsync(ada, one))["meta"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(before, (await ChatDocs.GetAsync(ada, one))["updated_at"]!.GetValue<long>());

        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{one}/tags", new { name = "WORK STUFF" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{two}/tags", new { name = "work stuff" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{one}/tags", new { name = "urgent" }).SucceedsAsync();
        Assert.Equal(["urgent", "work_stuff"], await TagIds(await ada.Client.GetAsync($"/api/v1/chats/{one}/tags")));
        Assert.Equal(["urgent", "work_stuff"], await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));
        Assert.Equal(["One", "Two"], (await ChatDocs.TitlesAsync(await ada.Client.PostAsJsonAsync("/api/v1/chats/tags", new { name = "Work Stuff" }))).Order());

        // Removing from one chat keeps the tag while another chat carries it.
        Assert.Equal(["urgent"], await TagIds(await DeleteTag(ada, one, "work stuff")));
        Assert.Equal(["urgent", "work_stuff"], await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));
        Assert.Empty(await TagIds(await DeleteTag(ada, two, "work stuff")));
        Assert.Equal(["urgent"], await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));

        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{one}/tags/all"), 200))!.GetValue<bool>());
        Assert.Empty(await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));
    }

    private static Task<HttpResponseMessage> DeleteTag(TestUser user, string chatId, string name) =>
        user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/chats/{chatId}/tags") { Content = JsonContent.Create(new { name }) });

    [Fact]
    public async Task NoneIsNotATagName()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "One");
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "None" }), 400,
            "[ERROR: Tag name cannot be 'None']");
        Assert.Empty(await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));
    }

    [Fact]
    public async Task ArchivingDropsOrphanTagsAndUnarchivingRestoresThem()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "One");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Solo Tag" }).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        Assert.Empty(await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));
        await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        var restored = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/tags"), 200))!.AsArray();
        Assert.Equal("solo_tag", restored.Single()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AskingForChatsOfAnUnusedTagDeletesIt()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "One");
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Temp" }).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/archive", null).SucceedsAsync();
        await ada.Client.DeleteAsync($"/api/v1/chats/{id}").SucceedsAsync();
        await ada.Client.PostAsJsonAsync("/api/v1/chats/tags", new { name = "temp" }).SucceedsAsync();
        Assert.Empty(await TagIds(await ada.Client.GetAsync("/api/v1/chats/all/tags")));
    }
}

public sealed class ChatTagTestsOnSqlite() : ChatTagTests(DatabaseKind.Sqlite);
public sealed class ChatTagTestsOnPostgres() : ChatTagTests(DatabaseKind.Postgres);
