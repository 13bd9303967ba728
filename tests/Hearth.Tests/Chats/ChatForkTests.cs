using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

/// <summary>POST /api/v1/chats/{id}/fork as Open WebUI 0.11 answers it.</summary>
public abstract class ChatForkTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task AForkHoldsTheBranchDownToTheMessageAndKeepsTheOriginal()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var folder = await FolderTests.CreateFolderAsync(ada, "Work");
        var doc = ChatDocs.Conversation("Plans", 2);
        // Another answer to u1, so the tree has a second branch the fork must leave behind.
        doc["history"]!["messages"]!["b1"] = new JsonObject
        {
            ["id"] = "b1", ["parentId"] = "u1", ["childrenIds"] = new JsonArray(), ["role"] = "assistant", ["content"] = "Other answer", ["done"] = true,
        };
        doc["history"]!["messages"]!["u1"]!["childrenIds"]!.AsArray().Add("b1");
        var id = (await ChatDocs.CreateAsync(ada, doc, folder))["id"]!.GetValue<string>();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "Travel" }).SucceedsAsync();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null).SucceedsAsync();
        var before = (await ChatDocs.GetAsync(ada, id))["chat"]!.ToJsonString();

        var fork = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/fork", null), 200);
        Assert.NotEqual(id, fork["id"]!.GetValue<string>());
        Assert.Equal("Plans (fork)", fork["title"]!.GetValue<string>());
        Assert.Equal(folder, fork["folder_id"]!.GetValue<string>());
        Assert.True(fork["pinned"]!.GetValue<bool>());
        Assert.Equal(id, fork["meta"]!["forked_from"]!.GetValue<string>());
        Assert.Equal("a1", fork["meta"]!["forked_from_message_id"]!.GetValue<string>());
        Assert.Equal(["travel"], fork["meta"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var chat = fork["chat"]!;
        Assert.Equal(id, chat["originalChatId"]!.GetValue<string>());
        Assert.Equal("a1", chat["branchPointMessageId"]!.GetValue<string>());
        Assert.Equal("a1", chat["history"]!["currentId"]!.GetValue<string>());
        Assert.Equal(["u0", "a0", "u1", "a1"], chat["history"]!["messages"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["a1"], chat["history"]!["messages"]!["u1"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["u0", "a0", "u1", "a1"], chat["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(before, (await ChatDocs.GetAsync(ada, id))["chat"]!.ToJsonString());

        var atStart = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/fork", new { message_id = "u0" }), 200);
        Assert.Equal(["u0"], atStart["chat"]!["history"]!["messages"]!.AsObject().Select(p => p.Key));
        Assert.Empty(atStart["chat"]!["history"]!["messages"]!["u0"]!["childrenIds"]!.AsArray());
        // Both forks are chats of their own, listed and searchable.
        Assert.Equal(2, (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/search?text=fork"), 200))!.AsArray().Count);
    }

    [Fact]
    public async Task ForkRefusesAsUpstreamDoes()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await ChatDocs.CreateIdAsync(ada, "Plans", 1);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/fork", new { message_id = "nope" }), 404, "message not found");
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/chats/{id}/fork", null), 401, "Something went wrong :/");
        var empty = (await ChatDocs.CreateAsync(ada, new JsonObject { ["title"] = "Empty" }))["id"]!.GetValue<string>();
        await Json.AssertDetailAsync(await ada.Client.PostAsync($"/api/v1/chats/{empty}/fork", null), 400, "chat has no messages to fork");

        var streaming = ChatDocs.Conversation("Streaming", 1);
        streaming["history"]!["messages"]!["a0"]!["done"] = false;
        var streamingId = (await ChatDocs.CreateAsync(ada, streaming))["id"]!.GetValue<string>();
        await Json.AssertDetailAsync(await ada.Client.PostAsync($"/api/v1/chats/{streamingId}/fork", null), 409,
            "Wait for the current response to finish before forking.");

        await ada.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"chat": {"import": false}}""")).SucceedsAsync();
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's", 1);
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/chats/{bobs}/fork", null), 403,
            "You do not have permission to access this resource. Please contact your administrator for assistance.");
        Assert.Single((await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/chats/"), 200))!.AsArray());
    }
}

public sealed class ChatForkTestsOnSqlite() : ChatForkTests(DatabaseKind.Sqlite);
public sealed class ChatForkTestsOnPostgres() : ChatForkTests(DatabaseKind.Postgres);
