using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatExtraTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task RenameSetsTheTitleInTheRowAndTheDocument()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await ChatDocs.CreateIdAsync(ada, "Old", 2);
        var renamed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/title", new { title = "New name" }), 200);
        Assert.Equal("New name", renamed["title"]!.GetValue<string>());
        Assert.Equal("New name", renamed["chat"]!["title"]!.GetValue<string>());
        Assert.Equal(4, renamed["chat"]!["history"]!["messages"]!.AsObject().Count);
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync($"/api/v1/chats/{id}/title", new { title = "Mine" }), 401,
            "We could not find what you're looking for :/");
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/title", Json.Raw("""{"title": 7}""")));
        Assert.Equal("New name", (await ChatDocs.GetAsync(ada, id))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task APageOfWholeChatsCarriesTheTotal()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        for (var i = 0; i < 3; i++)
        {
            await ChatDocs.CreateIdAsync(ada, $"C{i}", 1);
        }
        var page = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/page?page=1&items_per_page=2"), 200);
        Assert.Equal(3, page["total"]!.GetValue<long>());
        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.NotNull(page["items"]![0]!["chat"]!["history"]!["messages"]);
        var last = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/page?page=2&items_per_page=2"), 200);
        Assert.Single(last["items"]!.AsArray());
    }

    [Fact]
    public async Task ATranscriptIsMarkdown()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var response = await ada.Client.PostAsync("/api/v1/utils/markdown", Json.Raw("""
            {"title": "Cooking", "messages": [
              {"role": "user", "content": "How long to boil an egg?", "timestamp": 1700000000},
              {"role": "assistant", "model": "llama3", "content": [{"type": "text", "text": "About nine minutes."}]}]}
            """));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("# Cooking", text);
        Assert.Contains("### User · 2023-11-14 22:13 UTC", text);
        Assert.Contains("### Assistant (llama3)", text);
        Assert.Contains("About nine minutes.", text);
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/utils/markdown", Json.Raw("""{"title": "x"}""")));
    }

    [Fact]
    public async Task DeletingAUserDeletesTheirChatsSharesTagsAndFolders()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var folder = await FolderTests.CreateFolderAsync(bob, "Bob's");
        var id = await ChatDocs.CreateIdAsync(bob, "Bob's chat", 2, folder);
        await bob.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "mine" }).SucceedsAsync();
        var share = (await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200))["id"]!.GetValue<string>();
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/users/{bob.Id}"), 200))!.GetValue<bool>());
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/v1/chats/share/{share}"), 401, "We could not find what you're looking for :/");
        Assert.Equal(401, (int)(await ada.Client.GetAsync($"/api/v1/chats/{id}")).StatusCode);
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/db"), 200))!.AsArray());
    }
}

public sealed class ChatExtraTestsOnSqlite() : ChatExtraTests(DatabaseKind.Sqlite);
public sealed class ChatExtraTestsOnPostgres() : ChatExtraTests(DatabaseKind.Postgres);
