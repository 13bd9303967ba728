using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatMessageTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private static async Task<JsonObject?> Message(TestUser user, string chatId, string messageId) =>
        (await ChatDocs.GetAsync(user, chatId))["chat"]!["history"]!["messages"]![messageId] as JsonObject;

    [Fact]
    public async Task UpsertMergesContentIntoAMessageAndMakesOnlyANewOneCurrent()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", 2);
        var chat = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/a0", new { content = "Rewritten" }), 200);
        var a0 = chat["chat"]!["history"]!["messages"]!["a0"]!;
        Assert.Equal("Rewritten", a0["content"]!.GetValue<string>());
        Assert.Equal("llama3", a0["model"]!.GetValue<string>());
        // Editing an older message keeps currentId where it was (Open WebUI 0.11).
        Assert.Equal("a1", chat["chat"]!["history"]!["currentId"]!.GetValue<string>());

        var created = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/fresh", new { content = "Hello" }), 200);
        Assert.Equal("""{"content":"Hello"}""", created["chat"]!["history"]!["messages"]!["fresh"]!.ToJsonString());
        Assert.Equal("fresh", created["chat"]!["history"]!["currentId"]!.GetValue<string>());
        Assert.Equal(5, created["chat"]!["history"]!["messages"]!.AsObject().Count);
    }

    [Fact]
    public async Task ParallelWritesIntoOneChatAreAllKept()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Busy", 1);
        // New messages each take the next position, and appends read the message they change: racing writers
        // must neither collide on a position nor overwrite each other's appends.
        var writes = Enumerable.Range(0, 24).SelectMany(i => new[]
        {
            ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/new{i}", new { content = $"Message {i}" }),
            ChatDocs.EventAsync(ada, id, "a0", "message", new { content = $" +{i}" }),
            ChatDocs.EventAsync(ada, id, "u0", "status", new { description = $"Step {i}", done = false }),
        });
        Assert.All(await Task.WhenAll(writes), response => Assert.Equal(200, (int)response.StatusCode));

        var messages = (await ChatDocs.GetAsync(ada, id))["chat"]!["history"]!["messages"]!.AsObject();
        Assert.Equal(2 + 24, messages.Count);
        var appended = messages["a0"]!["content"]!.GetValue<string>().Split(' ');
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"+{i}").Order(), appended.Where(w => w.StartsWith('+')).Order());
        Assert.Equal(24, messages["u0"]!["statusHistory"]!.AsArray().Count);
    }

    [Fact]
    public async Task RepliesSavedIntoSeveralChatsOfOneUserAtOnceAllLand()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var chats = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            chats.Add(await ChatDocs.CreateIdAsync(ada, $"Chat {i}", 1));
        }
        // Each save moves its chat in the list, so each counts the user's list version up at the same time.
        for (var round = 0; round < 8; round++)
        {
            var saves = chats.Select(chat => ada.Client.PostAsJsonAsync($"/api/v1/chats/{chat}/messages/r{round}", new { content = $"round {round}" }));
            Assert.All(await Task.WhenAll(saves), response => Assert.Equal(200, (int)response.StatusCode));
        }
        foreach (var chat in chats)
        {
            Assert.Equal(2 + 8, (await ChatDocs.GetAsync(ada, chat))["chat"]!["history"]!["messages"]!.AsObject().Count);
        }
    }

    [Fact]
    public async Task UpsertIntoAChatWithoutHistoryCreatesIt()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = (await ChatDocs.CreateAsync(ada, new JsonObject { ["title"] = "Empty", ["models"] = new JsonArray("x") }))["id"]!.GetValue<string>();
        var chat = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/m1", new { content = "First" }), 200);
        Assert.Equal("First", chat["chat"]!["history"]!["messages"]!["m1"]!["content"]!.GetValue<string>());
        Assert.Equal("m1", chat["chat"]!["history"]!["currentId"]!.GetValue<string>());
        Assert.Equal(["title", "models", "history"], chat["chat"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task EventsPersistByTheRulesOfTheirType()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", 1);

        Assert.True((await Json.ReadAsync(await ChatDocs.EventAsync(ada, id, "u0", "status", new { description = "Searching", done = false }), 200))!.GetValue<bool>());
        Assert.Equal("Searching", (await Message(ada, id, "u0"))!["statusHistory"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("a0", (await ChatDocs.GetAsync(ada, id))["chat"]!["history"]!["currentId"]!.GetValue<string>());

        await ChatDocs.EventAsync(ada, id, "a0", "message", new { content = " continued" }).SucceedsAsync();
        Assert.Equal("Answer 0 continued", (await Message(ada, id, "a0"))!["content"]!.GetValue<string>());

        await ChatDocs.EventAsync(ada, id, "a0", "replace", new { content = "Replaced" }).SucceedsAsync();
        Assert.Equal("Replaced", (await Message(ada, id, "a0"))!["content"]!.GetValue<string>());

        await ChatDocs.EventAsync(ada, id, "a0", "files", new { files = new[] { new { name = "b.png" } } }).SucceedsAsync();
        await ChatDocs.EventAsync(ada, id, "a0", "files", new { files = new[] { new { name = "a.png" } } }).SucceedsAsync();
        Assert.Equal(["a.png", "b.png"], (await Message(ada, id, "a0"))!["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));

        await ChatDocs.EventAsync(ada, id, "a0", "embeds", new { embeds = new[] { "<iframe>" } }).SucceedsAsync();
        Assert.Single((await Message(ada, id, "a0"))!["embeds"]!.AsArray());

        await ChatDocs.EventAsync(ada, id, "a0", "citation", new { source = new { name = "wiki" }, document = new[] { "text" } }).SucceedsAsync();
        await ChatDocs.EventAsync(ada, id, "a0", "source", new { type = "code_execution", source = new { name = "ignored" } }).SucceedsAsync();
        Assert.Single((await Message(ada, id, "a0"))!["sources"]!.AsArray());

        // Status and message only touch an existing message; replace creates one.
        await ChatDocs.EventAsync(ada, id, "ghost", "message", new { content = "nothing" }).SucceedsAsync();
        await ChatDocs.EventAsync(ada, id, "ghost", "status", new { description = "nothing" }).SucceedsAsync();
        Assert.Null(await Message(ada, id, "ghost"));
        await ChatDocs.EventAsync(ada, id, "created", "replace", new { content = "made" }).SucceedsAsync();
        Assert.Equal("made", (await Message(ada, id, "created"))!["content"]!.GetValue<string>());

        // Long aliases and UI-only events are broadcast, never stored.
        await ChatDocs.EventAsync(ada, id, "a0", "chat:message:delta", new { content = "DELTA" }).SucceedsAsync();
        await ChatDocs.EventAsync(ada, id, "a0", "notification", new { type = "info", content = "hi" }).SucceedsAsync();
        Assert.Equal("Replaced", (await Message(ada, id, "a0"))!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMessageKeepsOnlyTheNewestHundredStatusEntries()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", 1);
        // Each event rewrites the message whole: an uncapped history made every event dearer than the one before.
        const int sent = 130;
        for (var i = 0; i < sent; i++)
        {
            Assert.Equal(200, (int)(await ChatDocs.EventAsync(ada, id, "a0", "status", new { description = $"Step {i}", done = false })).StatusCode);
        }
        var history = (await Message(ada, id, "a0"))!["statusHistory"]!.AsArray();
        Assert.Equal(Enumerable.Range(sent - 100, 100).Select(i => $"Step {i}"), history.Select(s => s!["description"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeletingAMessageRemovesItsBranchAndFixesTheTree()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat", 3);
        // Open WebUI 0.11 answers with the chat.
        var answered = await Json.ReadObjectAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}/messages/u1"), 200);
        Assert.Equal(id, answered["id"]!.GetValue<string>());
        var chat = await ChatDocs.GetAsync(ada, id);
        Assert.Equal(answered["chat"]!.ToJsonString(), chat["chat"]!.ToJsonString());
        var messages = chat["chat"]!["history"]!["messages"]!.AsObject();
        Assert.Equal(["u0", "a0"], messages.Select(p => p.Key));
        Assert.Empty(messages["a0"]!["childrenIds"]!.AsArray());
        Assert.Equal("a0", chat["chat"]!["history"]!["currentId"]!.GetValue<string>());
        // A message that is not there is no error: the chat comes back as it is.
        var again = await Json.ReadObjectAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{id}/messages/u1"), 200);
        Assert.Equal(chat["chat"]!.ToJsonString(), again["chat"]!.ToJsonString());
        var bob = await shared.NewUserAsync("Bob");
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync($"/api/v1/chats/{id}/messages/a0"), 401, "You do not have permission to access this resource. Please contact your administrator for assistance.");
        await Json.AssertDetailAsync(await ada.Client.DeleteAsync("/api/v1/chats/missing/messages/a0"), 401, "You do not have permission to access this resource. Please contact your administrator for assistance.");
    }

    [Fact]
    public async Task MessageWritesMoveUpdatedAt()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        clock.Advance(TimeSpan.FromMinutes(5));
        await ChatDocs.EventAsync(ada, id, "a0", "replace", new { content = "x" }).SucceedsAsync();
        Assert.Equal(1_700_000_300, (await ChatDocs.GetAsync(ada, id))["updated_at"]!.GetValue<long>());
    }

    [Fact]
    public async Task EventsThatOnlyAttachSourcesFilesOrEmbedsKeepUpdatedAt()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var id = await ChatDocs.CreateIdAsync(ada, "Chat");
        var before = (await ChatDocs.GetAsync(ada, id))["updated_at"]!.GetValue<long>();
        clock.Advance(TimeSpan.FromMinutes(5));
        await ChatDocs.EventAsync(ada, id, "a0", "source", new { source = new { name = "doc" }, document = new[] { "text" } }).SucceedsAsync();
        await ChatDocs.EventAsync(ada, id, "a0", "files", new { files = new[] { new { type = "file", url = "/x" } } }).SucceedsAsync();
        await ChatDocs.EventAsync(ada, id, "a0", "embeds", new { embeds = new[] { "<p>hi</p>" } }).SucceedsAsync();
        var chat = await ChatDocs.GetAsync(ada, id);
        Assert.Equal(before, chat["updated_at"]!.GetValue<long>());
        var a0 = chat["chat"]!["history"]!["messages"]!["a0"]!;
        Assert.Single(a0["sources"]!.AsArray());
        Assert.Single(a0["files"]!.AsArray());
        Assert.Single(a0["embeds"]!.AsArray());
        await ChatDocs.EventAsync(ada, id, "a0", "message", new { content = "!" }).SucceedsAsync();
        Assert.Equal(1_700_000_300, (await ChatDocs.GetAsync(ada, id))["updated_at"]!.GetValue<long>());
    }

    [Fact]
    public async Task RepliesMissingFromTheirParentsChildrenAreRelinkedOnRead()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var doc = ChatDocs.Conversation("Chat", 2);
        var history = doc["history"]!["messages"]!;
        history["a0"]!["childrenIds"] = new System.Text.Json.Nodes.JsonArray();
        history["x1"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "x1", ["parentId"] = "a0", ["childrenIds"] = new System.Text.Json.Nodes.JsonArray(), ["role"] = "user", ["content"] = "Other branch" };
        history["u0"]!.AsObject().Remove("childrenIds");
        var id = (await ChatDocs.CreateAsync(ada, doc))["id"]!.GetValue<string>();
        var messages = (await ChatDocs.GetAsync(ada, id))["chat"]!["history"]!["messages"]!;
        Assert.Equal(["u1", "x1"], messages["a0"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["a0"], messages["u0"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("Answer 0", messages["a0"]!["content"]!.GetValue<string>());
        // The whole-chat export relinks too.
        var all = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        Assert.Equal(2, all[0]!["chat"]!["history"]!["messages"]!["a0"]!["childrenIds"]!.AsArray().Count);
    }
}

public sealed class ChatMessageTestsOnSqlite(SharedApp.OnSqlite shared)
    : ChatMessageTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ChatMessageTestsOnPostgres(SharedApp.OnPostgres shared)
    : ChatMessageTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
