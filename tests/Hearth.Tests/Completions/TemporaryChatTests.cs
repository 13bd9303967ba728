using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Tests.Completions;

/// <summary>
/// The web client's temporary chats (ids starting <c>local:</c>, its socket's id): Hearth keeps nothing of them,
/// neither the chat and its messages nor the files a tool makes nor anything the usage counts read.
/// </summary>
public abstract class TemporaryChatTests(DatabaseKind kind) : HearthTest(kind)
{
    private static Dictionary<string, string?> OpenAi(ScriptedModelServer model) =>
        new() { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() };

    [Fact]
    public async Task ABackgroundReplyInATemporaryChatArrivesAsEventsAndNothingIsStored()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Nothing", " is kept."]));
        var settings = OpenAi(model);
        settings["Logging:LogLevel:Default"] = "Information";
        await using var app = await StartAsync(settings);
        var logs = new CapturedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        var ada = await app.SignUpAsync("Ada");
        var usageBefore = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/usage"), 200);
        await using var stream = await EventStreamReader.OpenAsync(ada.Client, "/api/events");

        var answer = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "sock-1", chat_id = "local:sock-1", id = "assistant-1", parent_id = "user-1",
            user_message = new { id = "user-1", parentId = (string?)null, childrenIds = Array.Empty<string>(), role = "user", content = "Secret question", timestamp = 1_700_000_000 },
            messages = new[] { new { role = "user", content = "Secret question" } },
        }), 200);

        Assert.Equal("local:sock-1", answer["chat_id"]!.GetValue<string>());
        var done = await stream.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "chat:completion" && e["data"]?["data"]?["done"]?.GetValue<bool>() == true,
            TimeSpan.FromSeconds(10));
        Assert.Equal("local:sock-1", done!["chat_id"]!.GetValue<string>());
        Assert.Equal("Nothing is kept.", done["data"]!["data"]!["content"]!.GetValue<string>());
        Assert.Equal(["Secret question"], model.Requests.Single()["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
        await AssertNothingStoredAsync(app);
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/"), 200))!.AsArray());
        var usageAfter = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/usage"), 200);
        // The window's ends are the clock's time, which may pass a second between the two reads; the counts may not move.
        Assert.Equal(WithoutWindowEnds(usageBefore).ToJsonString(), WithoutWindowEnds(usageAfter).ToJsonString());
        // Logs at Information and above (those an operator keeps) hold nothing of the conversation.
        Assert.Contains(logs.Lines, l => l.Level >= LogLevel.Information);
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Information
            && (l.Text.Contains("Secret question", StringComparison.Ordinal) || l.Text.Contains("is kept", StringComparison.Ordinal) || l.Text.Contains("sock-1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ATemporaryChatsRunningReplyIsListedForItsOwnerOnly()
    {
        // What the app asks after its event stream dropped: is this temporary reply still being generated?
        var gate = new SemaphoreSlim(0);
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Still", " going"], ChunkGate: gate));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var answer = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "sock-2", chat_id = "local:sock-2", id = "assistant-2", parent_id = "user-2",
            user_message = new { id = "user-2", parentId = (string?)null, childrenIds = Array.Empty<string>(), role = "user", content = "Hi", timestamp = 1_700_000_000 },
            messages = new[] { new { role = "user", content = "Hi" } },
        }), 200);
        var task = answer["task_ids"]![0]!.GetValue<string>();

        async Task<List<string>> RunningAsync(TestUser user) =>
            (await Json.ReadObjectAsync(await user.Client.GetAsync("/api/tasks/chat/local:sock-2"), 200))["task_ids"]!.AsArray()
                .Select(t => t!.GetValue<string>()).ToList();
        Assert.Equal([task], await RunningAsync(ada));
        Assert.Empty(await RunningAsync(bob));

        gate.Release(2);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await RunningAsync(ada)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reply never finished");
            await Task.Delay(20);
        }
        await AssertNothingStoredAsync(app);
    }

    [Fact]
    public async Task FilesAToolMakesInATemporaryChatAreNotStored()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script([], ToolCall: new JsonObject
        {
            ["id"] = "call_1", ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = "template_render", ["arguments"] = """{"template": "<p>{{x}}</p>", "data": {"x": "private"}, "name": "report"}""" },
        }), new Script(["Here it is."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");

        var completion = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", chat_id = "local:sock-2", id = "r", tool_ids = new[] { "template_render" },
            messages = new[] { new { role = "user", content = "make the report" } },
        }), 200);

        Assert.Equal("Here it is.", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(2, model.Requests.Count);
        await AssertNothingStoredAsync(app);
        Assert.False(Directory.Exists(Path.Combine(app.DataDir, "uploads", "conversations")));
        var gallery = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts"), 200);
        Assert.Empty(gallery["items"]!.AsArray());
    }

    /// <summary>No chat, message or artifact file row at all: the server has had no chat but the temporary one.</summary>
    private static JsonNode WithoutWindowEnds(JsonNode usage)
    {
        var copy = usage.DeepClone();
        foreach (var window in copy.AsObject().Select(p => p.Value).OfType<JsonObject>().Where(o => o.ContainsKey("end_date")))
        {
            window.Remove("start_date");
            window.Remove("end_date");
        }
        return copy;
    }

    private static async Task AssertNothingStoredAsync(HearthApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        foreach (var table in new[] { "chats", "chat_messages", "chat_flat_messages", "artifact_files" })
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }
    }
}

public sealed class TemporaryChatTestsOnSqlite() : TemporaryChatTests(DatabaseKind.Sqlite);
public sealed class TemporaryChatTestsOnPostgres() : TemporaryChatTests(DatabaseKind.Postgres);
