using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions;
using Hearth.Tests.Completions;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Chats;

/// <summary>
/// Saving a chat (POST /{id}) from a copy that predates another writer's messages (a second tab, a reply
/// streaming in the background) merges the copy's history into the stored one: nothing the copy lacks is lost.
/// </summary>
public abstract class ChatSaveMergeTests(DatabaseKind kind) : HearthTest(kind)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AReplyStreamingInTheBackgroundSurvivesStaleSavesOfTheChat()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var chunks = Enumerable.Range(0, 12).Select(i => $"part{i} ").ToArray();
        using var gate = new SemaphoreSlim(0);
        model.Enqueue(new Script(chunks, ChunkGate: gate));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });
        // Every chunk is saved as it arrives, so each stale save below lands between two saves of the reply.
        app.Services.GetRequiredService<IOptions<CompletionOptions>>().Value.SaveInterval = TimeSpan.Zero;
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Race", 1);

        // Tab B keeps the copy from before the new turn. Tab A, the web client, adds the user's message and the
        // reply's placeholder, saves, and asks for the reply in the background.
        var staleCopy = (await ChatDocs.GetAsync(ada, chatId))["chat"]!.AsObject();
        var activeCopy = (JsonObject)staleCopy.DeepClone();
        var userMessage = new JsonObject
        {
            ["id"] = "u1", ["parentId"] = "a0", ["childrenIds"] = new JsonArray("r1"), ["role"] = "user",
            ["content"] = "And the next question?", ["timestamp"] = 1_700_000_100, ["models"] = new JsonArray("gpt-test"),
        };
        var messages = activeCopy["history"]!["messages"]!.AsObject();
        messages["a0"]!["childrenIds"]!.AsArray().Add("u1");
        messages["u1"] = userMessage.DeepClone();
        messages["r1"] = new JsonObject
        {
            ["id"] = "r1", ["parentId"] = "u1", ["childrenIds"] = new JsonArray(), ["role"] = "assistant", ["content"] = "",
            ["model"] = "gpt-test", ["timestamp"] = 1_700_000_101, ["done"] = false,
        };
        activeCopy["history"]!["currentId"] = "r1";
        await SaveAsync(ada, chatId, activeCopy);
        var started = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new JsonObject
        {
            ["model"] = "gpt-test", ["session_id"] = "tab-a", ["chat_id"] = chatId, ["id"] = "r1", ["parent_id"] = "u1",
            ["user_message"] = userMessage.DeepClone(),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "And the next question?" }),
        }), 200);
        Assert.Equal(chatId, started["chat_id"]!.GetValue<string>());

        // First half, step by step: one chunk, then both tabs save their copies.
        var rating = 0;
        var half = chunks.Length / 2;
        for (var i = 0; i < half; i++)
        {
            gate.Release();
            var expected = string.Concat(chunks[..(i + 1)]);
            await WaitForAsync(ada, chatId, chat => Content(chat, "r1") == expected);

            var saved = await SaveAsync(ada, chatId, RatedCopy(staleCopy, ++rating));
            AssertTurnKept(saved, expected);
            Assert.Equal("a0", CurrentId(saved));
            saved = await SaveAsync(ada, chatId, activeCopy);
            AssertTurnKept(saved, expected);
            Assert.Equal("r1", CurrentId(saved));
        }

        // Second half, at once: tab B keeps saving its copy while the rest streams in, until the reply is done.
        gate.Release(chunks.Length - half);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var saved = await SaveAsync(ada, chatId, RatedCopy(staleCopy, ++rating));
            AssertTurnKept(saved, null);
            if (Message(saved, "r1")["done"]?.GetValue<bool>() == true)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the reply never finished");
        }
        // Both tabs save once more after the reply finished: tab A's placeholder does not replace it either.
        await SaveAsync(ada, chatId, activeCopy);
        await SaveAsync(ada, chatId, RatedCopy(staleCopy, ++rating));
        var final = (await ChatDocs.GetAsync(ada, chatId))["chat"]!.AsObject();
        AssertTurnKept(final, string.Concat(chunks));
        Assert.True(Message(final, "r1")["done"]!.GetValue<bool>());
        Assert.Equal(["u0", "a0", "u1", "r1"], final["history"]!["messages"]!.AsObject().Select(p => p.Key));
        Assert.Equal(rating, Message(final, "a0")["annotation"]!["rating"]!.GetValue<int>());
        // The last save named a0, which exists: the client's choice of the current message stands.
        Assert.Equal("a0", CurrentId(final));
    }

    [Fact]
    public async Task TwoClientsAddingToStaleCopiesBothKeepTheirMessages()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Two tabs", 1);
        var original = (await ChatDocs.GetAsync(ada, chatId))["chat"]!.AsObject();

        await SaveAsync(ada, chatId, WithQuestion(original, "tab-a"));
        var saved = await SaveAsync(ada, chatId, WithQuestion(original, "tab-b"));
        Assert.Equal(["u0", "a0", "tab-a", "tab-b"], saved["history"]!["messages"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["tab-b", "tab-a"], Children(saved, "a0"));
        Assert.Equal("Question from tab-a", Content(saved, "tab-a"));
        Assert.Equal("tab-b", CurrentId(saved));
        // The flat list of the current branch is the saving client's own.
        Assert.True(JsonNode.DeepEquals(WithQuestion(original, "tab-b")["messages"], saved["messages"]));

        // Many tabs at once, each from the same old copy: every message survives, each listed once.
        var tabs = Enumerable.Range(0, 8).Select(i => $"tab-{i}").ToList();
        await Task.WhenAll(tabs.Select(tab => SaveAsync(ada, chatId, WithQuestion(original, tab))));
        var final = (await ChatDocs.GetAsync(ada, chatId))["chat"]!.AsObject();
        var expected = new[] { "u0", "a0", "tab-a", "tab-b" }.Concat(tabs).ToList();
        Assert.Equal(expected.Order(), final["history"]!["messages"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(expected.Skip(2).Order(), Children(final, "a0").Order());
        foreach (var tab in tabs)
        {
            Assert.Equal($"Question from {tab}", Content(final, tab));
        }
    }

    [Fact]
    public async Task TheClientsCurrentMessageStandsWhenItExists()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Current", 2);
        var copy = (await ChatDocs.GetAsync(ada, chatId))["chat"]!.AsObject();

        copy["history"]!["currentId"] = "a0";
        Assert.Equal("a0", CurrentId(await SaveAsync(ada, chatId, copy)));
        // A message neither the copy nor the store has, or none named: the stored choice stays.
        copy["history"]!["currentId"] = "ghost";
        Assert.Equal("a0", CurrentId(await SaveAsync(ada, chatId, copy)));
        copy["history"]!["currentId"] = null;
        Assert.Equal("a0", CurrentId(await SaveAsync(ada, chatId, copy)));
        copy["history"]!.AsObject().Remove("currentId");
        Assert.Equal("a0", CurrentId(await SaveAsync(ada, chatId, copy)));
        // A message only the store has (the copy predates it) may be named too.
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/m-new", new { content = "Added elsewhere" }).SucceedsAsync();
        copy["history"]!["currentId"] = "a1";
        Assert.Equal("a1", CurrentId(await SaveAsync(ada, chatId, copy)));
        copy["history"]!["currentId"] = "m-new";
        var saved = await SaveAsync(ada, chatId, copy);
        Assert.Equal("m-new", CurrentId(saved));
        Assert.Equal("Added elsewhere", Content(saved, "m-new"));
    }

    [Fact]
    public async Task AHistoryWithoutMessagesKeepsEveryMessage()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Kept", 2);
        var before = (await ChatDocs.GetAsync(ada, chatId))["chat"]!["history"]!["messages"]!.ToJsonString();
        foreach (var history in new[] { """{"currentId": "u0", "extra": 1}""", "null", """{"messages": null}""", """{"messages": []}""" })
        {
            var saved = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{chatId}",
                Json.Raw("""{"chat": {"history": """ + history + "}}")), 200);
            Assert.Equal(before, saved["chat"]!["history"]!["messages"]!.ToJsonString());
            Assert.Equal("u0", CurrentId(saved["chat"]!.AsObject()));
        }
        var read = (await ChatDocs.GetAsync(ada, chatId))["chat"]!;
        Assert.Equal(before, read["history"]!["messages"]!.ToJsonString());
        Assert.Equal(1, read["history"]!["extra"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnApiClientMayPostOnlyTheMessagesItAdds()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Appended", 1);
        var saved = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{chatId}", Json.Raw("""
            {"chat": {"history": {"messages": {"u1": {"id": "u1", "parentId": "a0", "childrenIds": [], "role": "user", "content": "More"}},
                                  "currentId": "u1"}}}
            """)), 200);
        var chat = saved["chat"]!.AsObject();
        Assert.Equal(["u0", "a0", "u1"], chat["history"]!["messages"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["u1"], Children(chat, "a0"));
        Assert.Equal("Answer 0", Content(chat, "a0"));
        Assert.Equal("u1", CurrentId(chat));
    }

    [Fact]
    public async Task AReplyStillGeneratingKeepsItsStoredVersionAndAFinishedOneIsNotUndone()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var generating = ChatDocs.Conversation("Replies", 2);
        generating["history"]!["messages"]!["a1"]!["done"] = false;
        generating["history"]!["messages"]!["a1"]!["content"] = "Streamed so far";
        var chatId = (await ChatDocs.CreateAsync(ada, generating))["id"]!.GetValue<string>();

        var copy = ChatDocs.Conversation("Replies", 2);
        copy["history"]!["messages"]!["a1"]!["content"] = "A copy's idea of the reply";
        copy["history"]!["messages"]!["a0"]!["content"] = "An edit elsewhere";
        var saved = await SaveAsync(ada, chatId, copy);
        Assert.Equal("Streamed so far", Content(saved, "a1"));
        Assert.False(Message(saved, "a1")["done"]!.GetValue<bool>());
        Assert.Equal("An edit elsewhere", Content(saved, "a0"));

        // A finished reply (a0) is not replaced by a copy taken while it was being generated...
        var placeholder = ChatDocs.Conversation("Replies", 2);
        placeholder["history"]!["messages"]!["a0"]!["content"] = "";
        placeholder["history"]!["messages"]!["a0"]!["done"] = false;
        Assert.Equal("An edit elsewhere", Content(await SaveAsync(ada, chatId, placeholder), "a0"));
        // ...but a finished copy edits it.
        Assert.Equal("Answer 0", Content(await SaveAsync(ada, chatId, ChatDocs.Conversation("Replies", 2)), "a0"));
    }

    /// <summary>The old copy with one new question under <c>a0</c>, made current, as a tab adding it would save it.</summary>
    private static JsonObject WithQuestion(JsonObject copy, string id)
    {
        var chat = (JsonObject)copy.DeepClone();
        var messages = chat["history"]!["messages"]!.AsObject();
        messages["a0"]!["childrenIds"]!.AsArray().Add(id);
        messages[id] = new JsonObject
        {
            ["id"] = id, ["parentId"] = "a0", ["childrenIds"] = new JsonArray(), ["role"] = "user",
            ["content"] = $"Question from {id}", ["timestamp"] = 1_700_000_200,
        };
        chat["history"]!["currentId"] = id;
        chat["messages"]!.AsArray().Add(new JsonObject { ["id"] = id, ["role"] = "user", ["content"] = $"Question from {id}" });
        return chat;
    }

    /// <summary>The old copy with its answer rated: a tab's save that rewrites <c>a0</c> from the copy.</summary>
    private static JsonObject RatedCopy(JsonObject copy, int rating)
    {
        var chat = (JsonObject)copy.DeepClone();
        chat["history"]!["messages"]!["a0"]!["annotation"] = new JsonObject { ["rating"] = rating };
        return chat;
    }

    /// <summary>The turn tab B's copy lacks is whole: the user's message, the reply so far, and the links between them.</summary>
    private static void AssertTurnKept(JsonObject chat, string? replySoFar)
    {
        Assert.Equal("And the next question?", Content(chat, "u1"));
        Assert.Equal(["u1"], Children(chat, "a0"));
        Assert.Equal(["r1"], Children(chat, "u1"));
        Assert.Equal("u1", Message(chat, "r1")["parentId"]!.GetValue<string>());
        if (replySoFar is not null)
        {
            Assert.Equal(replySoFar, Content(chat, "r1"));
        }
        else
        {
            Assert.StartsWith("part0 part1 ", Content(chat, "r1"));
        }
    }

    private static async Task<JsonObject> SaveAsync(TestUser user, string chatId, JsonObject chat) =>
        (await Json.ReadObjectAsync(await user.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}", new JsonObject { ["chat"] = chat.DeepClone() }), 200))
            ["chat"]!.AsObject();

    private static async Task WaitForAsync(TestUser user, string chatId, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition((await ChatDocs.GetAsync(user, chatId))["chat"]!.AsObject()))
        {
            Assert.True(DateTime.UtcNow < deadline, "the chat never reached the expected state");
            await Task.Delay(20);
        }
    }

    private static JsonObject Message(JsonObject chat, string id) => chat["history"]!["messages"]![id]!.AsObject();

    private static string? Content(JsonObject chat, string id) =>
        chat["history"]!["messages"]![id]?["content"]?.GetValue<string>();

    private static List<string> Children(JsonObject chat, string id) =>
        Message(chat, id)["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();

    private static string? CurrentId(JsonObject chat) => chat["history"]!["currentId"]?.GetValue<string>();
}

public sealed class ChatSaveMergeTestsOnSqlite() : ChatSaveMergeTests(DatabaseKind.Sqlite);
public sealed class ChatSaveMergeTestsOnPostgres() : ChatSaveMergeTests(DatabaseKind.Postgres);
