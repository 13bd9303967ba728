using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats;

public abstract class ChatStatsTests(DatabaseKind kind) : HearthTest(kind)
{
    /// <summary>A branched chat whose statistics are worked out by hand in the assertions below.</summary>
    private static JsonObject HandComputed() => JsonNode.Parse("""
        {"title": "Stats", "history": {"currentId": "a3", "messages": {
          "u1": {"id": "u1", "role": "user", "content": "héllo", "timestamp": 100, "parentId": null},
          "a1": {"id": "a1", "role": "assistant", "model": "m1", "content": "abc", "timestamp": 110, "parentId": "u1",
                 "annotation": {"rating": 1, "tags": ["good"]}},
          "a2": {"id": "a2", "role": "assistant", "model": "m2", "timestamp": 130, "parentId": "u1",
                 "content": [{"type": "text", "text": "xy"}, {"type": "image_url", "image_url": {"url": "data:"}}]},
          "u2": {"id": "u2", "role": "user", "content": "👍👍", "timestamp": 140, "parentId": "a2"},
          "a3": {"id": "a3", "role": "assistant", "model": "m1", "content": "done!", "parentId": "u2"},
          "x":  {"id": "x", "content": "no role"}
        }}}
        """)!.AsObject();

    [Fact]
    public async Task UsageStatsFollowTheFormulas()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = (await ChatDocs.CreateAsync(ada, HandComputed()))["id"]!.GetValue<string>();
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{id}/tags", new { name = "numbers" }).SucceedsAsync();
        await ChatDocs.CreateAsync(ada, new JsonObject { ["title"] = "No history" });

        var body = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/stats/usage"), 200);
        Assert.Equal(2, body["total"]!.GetValue<long>());
        var item = Assert.Single(body["items"]!.AsArray())!;
        Assert.Equal(id, item["id"]!.GetValue<string>());
        Assert.Equal(6, item["history_message_count"]!.GetValue<int>());
        Assert.Equal(2, item["history_user_message_count"]!.GetValue<int>());
        Assert.Equal(3, item["history_assistant_message_count"]!.GetValue<int>());
        Assert.Equal(2, item["history_models"]!["m1"]!.GetValue<int>());
        Assert.Equal(1, item["history_models"]!["m2"]!.GetValue<int>());
        Assert.Equal(3.5, item["average_user_message_content_length"]!.GetValue<double>(), 6);
        Assert.Equal(10.0 / 3, item["average_assistant_message_content_length"]!.GetValue<double>(), 6);
        Assert.Equal((10 + 30 - 140) / 3.0, item["average_response_time"]!.GetValue<double>(), 6);
        Assert.Equal(4, item["message_count"]!.GetValue<int>());
        Assert.Equal(1, item["models"]!["m1"]!.GetValue<int>());
        Assert.Equal(1, item["models"]!["m2"]!.GetValue<int>());
        Assert.Equal(0, item["last_message_at"]!.GetValue<long>());
        Assert.Equal(["numbers"], item["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task ExportStatsSkipRolelessMessagesAndUntimedPairs()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var id = (await ChatDocs.CreateAsync(ada, HandComputed()))["id"]!.GetValue<string>();
        var one = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/chats/stats/export/{id}"), 200);
        var stats = one["stats"]!;
        Assert.Equal(5, stats["history_message_count"]!.GetValue<int>());
        Assert.Equal(20, stats["average_response_time"]!.GetValue<double>(), 6);
        Assert.Equal(3.5, stats["average_user_message_content_length"]!.GetValue<double>(), 6);
        Assert.Equal(10.0 / 3, stats["average_assistant_message_content_length"]!.GetValue<double>(), 6);
        Assert.Equal(4, stats["message_count"]!.GetValue<int>());
        var messages = one["chat"]!["history"]!["messages"]!.AsObject();
        Assert.Equal(["u1", "a1", "a2", "u2", "a3"], messages.Select(p => p.Key));
        Assert.Equal(2, messages["a2"]!["content_length"]!.GetValue<long>());
        Assert.Equal(1, messages["a1"]!["rating"]!.GetValue<int>());
        Assert.Equal("good", messages["a1"]!["tags"]![0]!.GetValue<string>());
        Assert.Null(messages["a1"]!["token_count"]);
        Assert.Equal("a3", one["chat"]!["history"]!["currentId"]!.GetValue<string>());
        Assert.Equal(ada.Id, one["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExportPagesByTenOldestFirstAndStreamsNdjson()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        for (var i = 0; i < 12; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            await ChatDocs.CreateIdAsync(ada, $"C{i:D2}");
        }
        var page1 = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/stats/export"), 200);
        Assert.Equal("chats", page1["type"]!.GetValue<string>());
        Assert.Equal(12, page1["total"]!.GetValue<long>());
        Assert.Equal(1, page1["page"]!.GetValue<int>());
        Assert.Equal(10, page1["items"]!.AsArray().Count);
        var page2 = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/stats/export?page=2"), 200);
        Assert.Equal(2, page2["items"]!.AsArray().Count);
        var after = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/stats/export?updated_at=1700000100"), 200);
        Assert.Equal(2, after["total"]!.GetValue<long>());

        var stream = await ada.Client.GetAsync("/api/v1/chats/stats/export?stream=true");
        Assert.Equal("application/x-ndjson", stream.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"attachment; filename=chat-stats-export-{ada.Id}.jsonl", stream.Content.Headers.ContentDisposition!.ToString());
        var lines = (await stream.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length);
        Assert.Equal(0, JsonNode.Parse(lines[0])!["stats"]!["message_count"]!.GetValue<int>() - 2);
    }

    [Fact]
    public async Task ExportIsGatedByCommunitySharingForNonAdmins()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_COMMUNITY_SHARING"] = "false" });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's");
        const string prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/chats/stats/export"), 401, prohibited);
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/v1/chats/stats/export/{bobs}"), 401, prohibited);
        Assert.Equal(200, (int)(await ada.Client.GetAsync($"/api/v1/chats/stats/export/{bobs}")).StatusCode);
    }

    [Fact]
    public async Task SingleChatExportAnswers404And401()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var adas = await ChatDocs.CreateIdAsync(ada, "Ada's");
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/chats/stats/export/nope"), 404, "We could not find what you're looking for :/");
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/v1/chats/stats/export/{adas}"), 401,
            "You do not have permission to access this resource. Please contact your administrator for assistance.");
    }
}

public sealed class ChatStatsTestsOnSqlite() : ChatStatsTests(DatabaseKind.Sqlite);
public sealed class ChatStatsTestsOnPostgres() : ChatStatsTests(DatabaseKind.Postgres);
