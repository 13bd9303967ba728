using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Completions;

public abstract class CompletionTests(DatabaseKind kind) : HearthTest(kind)
{
    private static Dictionary<string, string?> OpenAi(ScriptedModelServer model, params (string, string)[] more)
    {
        var settings = new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(), ["OPENAI_API_KEYS"] = "sk-upstream" };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    internal static async Task<JsonObject?> WaitForMessageAsync(TestUser user, string chatId, string messageId, Func<JsonObject, bool> done)
    {
        // Generous: a busy two-core machine running several Hearth servers at once can take seconds per reply.
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(50))
        {
            var chat = await ChatDocs.GetAsync(user, chatId);
            if (chat["chat"]!["history"]?["messages"]?[messageId] is JsonObject message && done(message))
            {
                return message;
            }
        }
        return null;
    }

    [Fact]
    public async Task ModelsOfEveryConnectionAreListedAndADownOneIsReported()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Models = ["gpt-test", "gpt-other"];
        await using var app = await StartAsync(OpenAi(model, ("OLLAMA_BASE_URLS", $"{model.Address};http://127.0.0.1:1")));
        var ada = await app.SignUpAsync("Ada");
        var list = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/models"), 200);
        var ids = list["data"]!.AsArray().Select(m => $"{m!["connection"]}:{m["id"]}").Order().ToList();
        Assert.Equal(["ollama-0:gpt-other", "ollama-0:gpt-test", "openai-0:gpt-other", "openai-0:gpt-test"], ids);
        Assert.Equal("ollama-1", Assert.Single(list["errors"]!.AsArray())!["connection"]!.GetValue<string>());

        // Admins see each connection's state (the app's Settings → Connections), never its key; users may not look.
        var status = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/connections/status"), 200))!.AsArray();
        Assert.Equal(["openai-0 openai True 2", "ollama-0 ollama True 2", "ollama-1 ollama False 0"],
            status.Select(c => $"{c!["id"]} {c["kind"]} {c["ok"]!.GetValue<bool>()} {c["models"]}"));
        Assert.Equal("http://127.0.0.1:1/", status[2]!["url"]!.GetValue<string>());
        Assert.Contains("127.0.0.1:1", status[2]!["detail"]!.GetValue<string>());
        Assert.DoesNotContain("sk-upstream", status.ToJsonString());
        var eve = await app.AddUserAsync(ada, "Eve");
        Assert.Equal(401, (int)(await eve.Client.GetAsync("/api/v1/connections/status")).StatusCode);
    }

    [Fact]
    public async Task WithoutAConnectionCompletionsSayHowToConfigureOne()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var response = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "x", messages = Array.Empty<object>() });
        var detail = (await Json.ReadObjectAsync(response, 503))["detail"]!.GetValue<string>();
        Assert.Contains("OPENAI_API_BASE_URLS", detail);
    }

    [Fact]
    public async Task TheProxyPassesUnknownFieldsBothWays()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Hi there"], Usage: new JsonObject { ["total_tokens"] = 7 }, Extra: JsonNode.Parse("""{"x_vendor": {"n": 1.50}}""")!.AsObject()));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var response = await ada.Client.PostAsync("/api/chat/completions", Json.Raw(
            """{"model": "gpt-test", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.25, "logit_bias": {"50256": -100}, "session_extra": [1, 2]}"""));
        var body = await Json.ReadObjectAsync(response, 200);
        Assert.Equal("Hi there", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("""{"n":1.50}""", body["x_vendor"]!.ToJsonString());
        Assert.True(model.Requests.TryDequeue(out var sent));
        Assert.Equal(0.25, sent!["temperature"]!.GetValue<double>());
        Assert.Equal(-100, sent["logit_bias"]!["50256"]!.GetValue<int>());
        Assert.Equal(2, sent["session_extra"]!.AsArray().Count);
    }

    [Fact]
    public async Task AStreamIsPassedThroughByteForByte()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["One", " two", " three"]), new Script(["One", " two", " three"]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var viaHearth = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", stream = true, messages = new[] { new { role = "user", content = "count" } } });
        Assert.Equal("text/event-stream", viaHearth.Content.Headers.ContentType!.MediaType);
        using var direct = new HttpClient();
        var straight = await direct.PostAsJsonAsync(new Uri(model.Address, "/v1/chat/completions"), new { model = "gpt-test", stream = true, messages = Array.Empty<object>() });
        Assert.Equal(await straight.Content.ReadAsStringAsync(), await viaHearth.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OllamaRepliesBecomeOpenAiChunks()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Bon", "jour"]));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OLLAMA_BASE_URL"] = model.Address.ToString() });
        var ada = await app.SignUpAsync("Ada");
        var response = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", stream = true, max_tokens = 9, messages = new[] { new { role = "user", content = "hi" } } });
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("data: ")).Select(l => l[6..]).ToList();
        Assert.Equal("[DONE]", lines[^1]);
        var chunks = lines[..^1].Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("Bonjour", string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        Assert.Equal(8, chunks[^1]["usage"]!["total_tokens"]!.GetValue<long>());
        Assert.True(model.Requests.TryDequeue(out var sent));
        Assert.Equal(9, sent!["options"]!["num_predict"]!.GetValue<int>());
        var whole = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", messages = new[] { new { role = "user", content = "hi" } } }), 200);
        Assert.Equal("Hello world", whole["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithAChatTheReplyIsSavedIntoIt()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["The ", "answer ", "is 42"], Usage: new JsonObject { ["prompt_tokens"] = 3, ["completion_tokens"] = 4, ["total_tokens"] = 7 }));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Q", 1);
        var response = await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", stream = true, chat_id = chatId, id = "reply-1", parent_id = "a0",
            messages = new[] { new { role = "user", content = "question" } },
        });
        Assert.Contains("is 42", await response.Content.ReadAsStringAsync());
        var reply = await WaitForMessageAsync(ada, chatId, "reply-1", m => m["done"]?.GetValue<bool>() == true);
        Assert.NotNull(reply);
        Assert.Equal("The answer is 42", reply!["content"]!.GetValue<string>());
        Assert.Equal("a0", reply["parentId"]!.GetValue<string>());
        Assert.Equal("assistant", reply["role"]!.GetValue<string>());
        Assert.Equal("gpt-test", reply["model"]!.GetValue<string>());
        Assert.Equal(7, reply["usage"]!["total_tokens"]!.GetValue<int>());
        var chat = await ChatDocs.GetAsync(ada, chatId);
        Assert.Equal("reply-1", chat["chat"]!["history"]!["currentId"]!.GetValue<string>());
        Assert.Contains("reply-1", chat["chat"]!["history"]!["messages"]!["a0"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(model.Requests.TryDequeue(out var sent));
        Assert.Null(sent!["chat_id"]);
        Assert.Null(sent["id"]);
    }

    [Fact]
    public async Task RepliesStreamingAtOnceBeyondTheSaveSlotsAreEachSavedWhole()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        const int streams = 24;
        var chunks = Enumerable.Range(0, 20).Select(i => $"w{i} ").ToArray();
        model.Enqueue(Enumerable.Range(0, streams).Select(_ => new Script(chunks, ChunkDelay: TimeSpan.FromMilliseconds(5))).ToArray());
        await using var app = await StartAsync(OpenAi(model));
        // Every chunk asks for a save, so three times as many replies as save slots all queue for them at once.
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hearth.Server.Completions.CompletionOptions>>().Value;
        options.SaveInterval = TimeSpan.Zero;
        Assert.True(streams >= 3 * options.ConcurrentReplySaves);
        var ada = await app.SignUpAsync("Ada");
        var chats = await Task.WhenAll(Enumerable.Range(0, streams).Select(i => ChatDocs.CreateIdAsync(ada, $"Live {i}", 1)));
        var answers = await Task.WhenAll(chats.Select(async chatId =>
        {
            var response = await ada.Client.PostAsJsonAsync("/api/chat/completions", new
            {
                model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0",
                messages = new[] { new { role = "user", content = "go" } },
            });
            return await response.Content.ReadAsStringAsync();
        }));
        Assert.All(answers, answer => Assert.Contains("w19", answer));
        foreach (var chatId in chats)
        {
            var reply = await WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
            Assert.Equal(string.Concat(chunks), reply?["content"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task AReplysProgressIsSavedAsItStreamsAndSearchFindsItOnceItEnds()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        using var gate = new SemaphoreSlim(0);
        model.Enqueue(new Script(["Zebrafish ", "regrow ", "their ", "fins ", "quickly"], ChunkGate: gate));
        await using var app = await StartAsync(OpenAi(model));
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hearth.Server.Completions.CompletionOptions>>().Value.SaveInterval = TimeSpan.Zero;
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Q", 1);
        var answer = ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0",
            messages = new[] { new { role = "user", content = "tell me" } },
        });
        async Task<int> FoundAsync(string text) =>
            (await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/search?text={text}"), 200))!.AsArray().Count;

        // While it streams, a reload finds the text so far; search does not index a half-written reply.
        gate.Release();
        var partial = await WaitForMessageAsync(ada, chatId, "r",
            m => m["done"]?.GetValue<bool>() != true && m["content"]?.GetValue<string>().Contains("Zebrafish", StringComparison.Ordinal) == true);
        Assert.NotNull(partial);
        Assert.Equal(0, await FoundAsync("zebrafish"));
        // The next progress save changes the message as the last one left it, in one round trip on PostgreSQL.
        gate.Release();
        Assert.NotNull(await WaitForMessageAsync(ada, chatId, "r",
            m => m["done"]?.GetValue<bool>() != true && m["content"]?.GetValue<string>() == "Zebrafish regrow "));
        // Another writer changes the message between two progress saves: the next save builds on what the row holds.
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/r/event",
            new { type = "status", data = new { description = "Looking it up", done = true } }).SucceedsAsync();
        gate.Release();
        var third = await WaitForMessageAsync(ada, chatId, "r",
            m => m["done"]?.GetValue<bool>() != true && m["content"]?.GetValue<string>() == "Zebrafish regrow their ");
        Assert.Equal("Looking it up", third?["statusHistory"]?[0]?["description"]?.GetValue<string>());
        gate.Release(2);
        (await answer).Dispose();
        var reply = await WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("Zebrafish regrow their fins quickly", reply!["content"]!.GetValue<string>());
        Assert.Equal("Looking it up", reply["statusHistory"]?[0]?["description"]?.GetValue<string>());
        Assert.Equal(1, await FoundAsync("zebrafish"));
        Assert.Equal(1, await FoundAsync("quickly"));
    }

    [Fact]
    public async Task TheReplyIsSavedEvenWhenTheClientLeaves()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["a", "b", "c", "d", "e", "f"], ChunkDelay: TimeSpan.FromMilliseconds(150)));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Q", 1);
        using (var leaving = new CancellationTokenSource())
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/completions")
            {
                Content = JsonContent.Create(new { model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0", messages = Array.Empty<object>() }),
            };
            var response = await ada.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leaving.Token);
            Assert.Equal(200, (int)response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync(leaving.Token);
            Assert.True(await stream.ReadAsync(new byte[64], leaving.Token) > 0);
            leaving.Cancel();
            response.Dispose();
        }
        var reply = await WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("abcdef", reply!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamErrorsAreClearAndSavedOnTheMessage()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script([], Status: 429, ErrorBody: """{"error":{"message":"Rate limit reached"}}"""),
            new Script([], Status: 500));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var direct = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", messages = Array.Empty<object>() });
        Assert.Contains("Rate limit reached", (await Json.ReadObjectAsync(direct, 429))["detail"]!.GetValue<string>());
        var chatId = await ChatDocs.CreateIdAsync(ada, "Q", 1);
        var saved = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0", messages = Array.Empty<object>() });
        Assert.Equal(500, (int)saved.StatusCode);
        var reply = await WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.Contains("scripted failure", reply!["error"]!["content"]!.GetValue<string>());
        Assert.Equal(400, (int)(await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "no-such-model", messages = Array.Empty<object>() })).StatusCode);
    }

    [Fact]
    public async Task UnreachableAndSlowServersAnswer502And504()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["late"], FirstByteDelay: TimeSpan.FromSeconds(3)));
        await using var app = await StartAsync(OpenAi(model, ("AIOHTTP_CLIENT_TIMEOUT", "1")));
        var ada = await app.SignUpAsync("Ada");
        var slow = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", messages = Array.Empty<object>() });
        Assert.Contains("did not answer", (await Json.ReadObjectAsync(slow, 504))["detail"]!.GetValue<string>());
        await model.DisposeAsync();
        var gone = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", messages = Array.Empty<object>() });
        Assert.Contains("cannot be reached", (await Json.ReadObjectAsync(gone, 502))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChatThatIsNotTheCallersSendsNothingUpstream()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var eve = await app.AddUserAsync(ada, "Eve");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Private", 1);
        await ada.Client.GetAsync("/api/models").SucceedsAsync();
        var before = (await ChatDocs.GetAsync(ada, chatId)).ToJsonString();
        Assert.Equal(404, (int)(await eve.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", chat_id = chatId, id = "x", messages = Array.Empty<object>() })).StatusCode);
        Assert.Equal(404, (int)(await eve.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", chat_id = chatId, id = "x", session_id = "s", messages = Array.Empty<object>() })).StatusCode);
        Assert.Empty(model.Requests);
        Assert.Equal(before, (await ChatDocs.GetAsync(ada, chatId)).ToJsonString());
        Assert.Equal(403, (int)(await app.Client().PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", messages = Array.Empty<object>() })).StatusCode);
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/chat/completions", Json.Raw("""{"messages": []}""")));
    }
}

public sealed class CompletionTestsOnSqlite() : CompletionTests(DatabaseKind.Sqlite);
public sealed class CompletionTestsOnPostgres() : CompletionTests(DatabaseKind.Postgres);
