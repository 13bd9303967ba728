using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats;

/// <summary>
/// The flat <c>messages</c> list Open WebUI's web client saves beside <c>history.messages</c>: it reads back as
/// saved, whatever happens to the messages afterwards, and it is stored outside the chat row, so the writes a
/// conversation makes (message events, replies) never carry it.
/// </summary>
public abstract class ChatFlatListTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task<JsonObject> SaveAsync(TestUser user, string chatId, JsonObject chat) =>
        (await Json.ReadObjectAsync(await user.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}", new { chat }), 200))["chat"]!.AsObject();

    private static async Task<(long Doc, long Items)> StoredSizesAsync(HearthApp app, string chatId)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var doc = await connection.ExecuteScalarAsync<long>("SELECT length(doc) FROM chats WHERE id = @chatId", new { chatId });
        var items = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chat_flat_messages WHERE chat_id = @chatId", new { chatId });
        return (doc, items);
    }

    [Fact]
    public async Task AWebClientChatReadsBackAsSavedAndItsRowStaysSmallWhateverItsLength()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var shortChat = ChatDocs.WebClientConversation("Short", 1);
        var longChat = ChatDocs.WebClientConversation("Long", 300);
        // One item differs from its message (the client may send anything there): it is kept as sent.
        longChat["messages"]![5]!["content"] = "edited only in the flat list";
        var shortId = (await ChatDocs.CreateAsync(ada, shortChat))["id"]!.GetValue<string>();
        var longId = (await ChatDocs.CreateAsync(ada, longChat))["id"]!.GetValue<string>();

        Assert.True(JsonNode.DeepEquals(longChat, (await ChatDocs.GetAsync(ada, longId))["chat"]), "the chat reads back as created");
        var saved = (JsonObject)longChat.DeepClone();
        saved["title"] = "Long, renamed";
        Assert.True(JsonNode.DeepEquals(saved, await SaveAsync(ada, longId, saved)), "the chat reads back as saved");

        var (shortDoc, shortItems) = await StoredSizesAsync(app, shortId);
        var (longDoc, longItems) = await StoredSizesAsync(app, longId);
        Assert.Equal(2, shortItems);
        Assert.Equal(600, longItems);
        // The rest of the document is all the chat row holds: the 600-message chat's row is as small as the 2-message one's.
        Assert.InRange(longDoc, shortDoc - 20, shortDoc + 20);
    }

    [Fact]
    public async Task TheFlatListKeepsWhatWasSavedWhenMessagesChangeOrGoUntilTheNextSave()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = ChatDocs.WebClientConversation("Chat", 3);
        var id = (await ChatDocs.CreateAsync(ada, chat))["id"]!.GetValue<string>();
        var savedList = chat["messages"]!.DeepClone();

        // A reply streaming in, an upsert and a deleted branch change history.messages only, as upstream's do.
        await ChatDocs.EventAsync(ada, id, "a1", "message", new { content = " and more" }).SucceedsAsync();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/messages/u1", new { content = "Rewritten" }).SucceedsAsync();
        await ada.Client.DeleteAsync($"/api/v1/chats/{id}/messages/u2").SucceedsAsync();
        var read = (await ChatDocs.GetAsync(ada, id))["chat"]!;
        Assert.Equal("Answer 1 and more", read["history"]!["messages"]!["a1"]!["content"]!.GetValue<string>());
        Assert.Null(read["history"]!["messages"]!["a2"]);
        Assert.Equal("Rewritten", read["history"]!["messages"]!["u1"]!["content"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(savedList, read["messages"]), "the flat list is as it was saved");

        // The next save of the client's list replaces it.
        var next = read.AsObject().DeepClone().AsObject();
        next["messages"] = ChatDocs.BranchOf(next);
        var afterSave = await SaveAsync(ada, id, next);
        Assert.True(JsonNode.DeepEquals(next["messages"], afterSave["messages"]));
        // Editing u1 kept currentId; deleting u2's branch moved it to a1: the branch is u0, a0, u1, a1.
        Assert.Equal(4, afterSave["messages"]!.AsArray().Count);
        Assert.Equal(4, (await StoredSizesAsync(app, id)).Items);

        // A save without a flat list leaves it; a save with another value (not a list) replaces it.
        var withoutList = new JsonObject { ["title"] = "Renamed" };
        Assert.True(JsonNode.DeepEquals(next["messages"], (await SaveAsync(ada, id, withoutList))["messages"]));
        var notAList = await SaveAsync(ada, id, new JsonObject { ["messages"] = new JsonObject { ["odd"] = true } });
        Assert.Equal("""{"odd":true}""", notAList["messages"]!.ToJsonString());
        Assert.Equal(0, (await StoredSizesAsync(app, id)).Items);
    }

    [Fact]
    public async Task SharesClonesAndExportsCarryTheFlatList()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = ChatDocs.WebClientConversation("Shared", 2);
        var id = (await ChatDocs.CreateAsync(ada, chat))["id"]!.GetValue<string>();
        var list = chat["messages"]!;

        var share = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{id}/share", null), 200);
        var shareId = share["share_id"]!.GetValue<string>();
        // The snapshot keeps the list as shared, even after the chat's messages change.
        await ChatDocs.EventAsync(ada, id, "a1", "replace", new { content = "changed after sharing" }).SucceedsAsync();
        var snapshot = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/chats/share/{shareId}"), 200);
        Assert.True(JsonNode.DeepEquals(list, snapshot["chat"]!["messages"]));

        var clone = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/clone", new { }), 200);
        Assert.True(JsonNode.DeepEquals(list, clone["chat"]!["messages"]));

        var exported = await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200);
        var mine = exported!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;
        Assert.True(JsonNode.DeepEquals(list, mine["chat"]!["messages"]));
    }
}

public sealed class ChatFlatListTestsOnSqlite() : ChatFlatListTests(DatabaseKind.Sqlite);
public sealed class ChatFlatListTestsOnPostgres() : ChatFlatListTests(DatabaseKind.Postgres);
