using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Completions;

/// <summary>
/// Hearth as the official OpenAI SDK sees it: its errors read as the SDK's error classes with Hearth's message,
/// a stream that breaks off ends in an error the SDK throws, and a model server that is down is named.
/// </summary>
public abstract class OpenAiClientTests(DatabaseKind kind) : HearthTest(kind)
{
    private async Task<(HearthApp App, string Key)> StartWithKeyAsync(string connections, string? ollama = null)
    {
        var app = await StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = connections, ["OLLAMA_BASE_URLS"] = ollama });
        var ada = await app.SignUpAsync("Ada");
        var key = (await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        return (app, key);
    }

    [Fact]
    public async Task TheSdkListsRetrievesAndStreamsAndReadsEveryErrorHearthAnswers()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Models = ["gpt-test", "org/model"];
        model.Enqueue(new Script(["Hel", "lo"]));
        // Ollama's replies are read by Hearth (not passed through): one that breaks off fails after the stream began.
        await using var ollama = await ScriptedModelServer.StartAsync();
        ollama.Models = ["llama-local"];
        ollama.Enqueue(new Script(["Half"], BreakOff: true));
        var (app, key) = await StartWithKeyAsync(new Uri(model.Address, "/v1").ToString(), ollama.Address.ToString());
        await using var _ = app;

        var results = await OpenAiSdk.RunAsync(new Uri(app.BaseAddress, "/api"), key, """
            const messages = [{ role: 'user', content: 'Hi' }];
            await attempt('list', async () => (await client.models.list()).data.map(m => `${m.object}:${m.id}`));
            await attempt('retrieve', async () => (await client.models.retrieve('org/model')).id);
            await attempt('stream', async () => {
              let text = '';
              for await (const chunk of await client.chat.completions.create({ model: 'gpt-test', messages, stream: true })) {
                text += chunk.choices[0]?.delta?.content ?? '';
              }
              return text;
            });
            await attempt('brokenStream', async () => {
              let text = '';
              for await (const chunk of await client.chat.completions.create({ model: 'llama-local', messages, stream: true })) {
                text += chunk.choices[0]?.delta?.content ?? '';
              }
              return text;
            });
            await attempt('unknownModel', () => client.chat.completions.create({ model: 'no-such-model', messages }));
            await attempt('unknownRetrieve', () => client.models.retrieve('no-such-model'));
            await attempt('missingMessages', () => client.chat.completions.create({ model: 'gpt-test' }));
            await attempt('embeddings', () => client.embeddings.create({ model: 'gpt-test', input: 'x' }));
            await attempt('badKey', () => new OpenAI({ baseURL: process.env.BASE_URL, apiKey: 'sk-wrong', maxRetries: 0 }).models.list());
            """);

        Assert.Equal(["model:gpt-test", "model:llama-local", "model:org/model"], OpenAiSdk.Ok(results, "list").AsArray().Select(m => m!.GetValue<string>()).Order());
        Assert.Equal("org/model", OpenAiSdk.Ok(results, "retrieve").GetValue<string>());
        Assert.Equal("Hello", OpenAiSdk.Ok(results, "stream").GetValue<string>());

        var broken = OpenAiSdk.Error(results, "brokenStream");
        Assert.Equal("APIError", broken["class"]!.GetValue<string>());
        Assert.StartsWith("The model server's reply broke off", broken["message"]!.GetValue<string>());
        Assert.Equal("server_error", broken["type"]!.GetValue<string>());

        AssertError(results, "unknownModel", "BadRequestError", 400, "400 Model not found", "model_not_found");
        AssertError(results, "unknownRetrieve", "NotFoundError", 404, "404 Model not found", "model_not_found");
        var missing = AssertError(results, "missingMessages", "UnprocessableEntityError", 422, "422 body.messages: Field 'messages' is required", "unprocessable_entity");
        Assert.Equal("messages", missing["param"]!.GetValue<string>());
        AssertError(results, "embeddings", "NotFoundError", 404, "404 Not Found", "not_found");
        var badKey = AssertError(results, "badKey", "AuthenticationError", 401, null, "unauthorized");
        Assert.Equal("authentication_error", badKey["type"]!.GetValue<string>());
        Assert.DoesNotContain("no body", badKey["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownModelsAreNotFoundWithoutSendingEachRequestToTheModelServers()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var (app, _) = await StartWithKeyAsync(new Uri(model.Address, "/v1").ToString());
        await using var _ = app;
        var ada = await app.SignInAsync("ada@example.com", "correct horse");

        for (var i = 0; i < 5; i++)
        {
            await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/models/typo-{i}"), 404, "Model not found");
            await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions",
                new { model = $"typo-{i}", messages = new[] { new { role = "user", content = "Hi" } } }), 400, "Model not found");
        }

        // One listing answered them all: a list seconds old is not asked for again because a request names a model it lacks.
        Assert.Equal(1, model.Listings);
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task RequestsThatFindTheModelListStaleTogetherShareOneListing()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var (app, _) = await StartWithKeyAsync(new Uri(model.Address, "/v1").ToString());
        await using var _ = app;
        var ada = await app.SignInAsync("ada@example.com", "correct horse");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ada.Client.GetAsync("/api/models")));

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, model.Listings);
    }

    [Fact]
    public async Task AModelServerThatIsDownIsNamedNotReportedAsAMissingModel()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var (app, key) = await StartWithKeyAsync($"{new Uri(model.Address, "/v1")};http://127.0.0.1:1/v1");
        await using var _ = app;

        var results = await OpenAiSdk.RunAsync(new Uri(app.BaseAddress, "/api"), key, """
            await attempt('elsewhere', () => client.chat.completions.create({ model: 'llama-on-the-other-server', messages: [] }));
            await attempt('retrieveElsewhere', () => client.models.retrieve('llama-on-the-other-server'));
            await attempt('served', async () => (await client.chat.completions.create({ model: 'gpt-test', messages: [] })).choices[0].message.content);
            """);

        foreach (var attempt in new[] { "elsewhere", "retrieveElsewhere" })
        {
            var error = AssertError(results, attempt, "InternalServerError", 502, null, "bad_gateway");
            Assert.Contains("connection openai-1 failed (http://127.0.0.1:1/v1/", error["message"]!.GetValue<string>());
            Assert.Contains("'llama-on-the-other-server'", error["message"]!.GetValue<string>());
        }
        Assert.Equal("Hello world", OpenAiSdk.Ok(results, "served").GetValue<string>());
    }

    [Fact]
    public async Task ErrorBodiesOnOpenAiRoutesCarryBothShapesAndOtherRoutesKeepDetailAlone()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var (app, _) = await StartWithKeyAsync(new Uri(model.Address, "/v1").ToString());
        await using var __ = app;
        var ada = await app.SignInAsync("ada@example.com", "correct horse");

        var notFound = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/chat/completions",
            new { model = "nope", messages = Array.Empty<object>() }), 400);
        Assert.Equal("Model not found", notFound["detail"]!.GetValue<string>());
        Assert.Equal("""{"message":"Model not found","type":"invalid_request_error","param":null,"code":"model_not_found"}""", notFound["error"]!.ToJsonString());

        var anonymous = await Json.ReadObjectAsync(await app.Client().GetAsync("/api/models"), 403);
        Assert.Equal("Not authenticated", anonymous["detail"]!.GetValue<string>());
        Assert.Equal("Not authenticated", anonymous["error"]!["message"]!.GetValue<string>());
        Assert.Equal("permission_error", anonymous["error"]!["type"]!.GetValue<string>());

        var invalid = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/chat/completions", Json.Raw("{\"model\": ")), 422);
        Assert.IsType<JsonArray>(invalid["detail"]);
        Assert.StartsWith("body: JSON decode error", invalid["error"]!["message"]!.GetValue<string>());

        // Routes Open WebUI's clients call are answered exactly as before.
        var chat = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/missing"), 401);
        Assert.Equal(["detail"], chat.Select(p => p.Key));
    }

    [Fact]
    public async Task APassedThroughStreamThatBreaksOffEndsWithAnErrorEvent()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        using var gate = new SemaphoreSlim(0);
        model.Enqueue(new Script(["One", " two"], BreakOff: true, ChunkGate: gate));
        var (app, _) = await StartWithKeyAsync(new Uri(model.Address, "/v1").ToString());
        await using var __ = app;
        var ada = await app.SignInAsync("ada@example.com", "correct horse");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/completions")
        {
            Content = JsonContent.Create(new { model = "gpt-test", stream = true, messages = Array.Empty<object>() }),
        };
        // The two chunks may go; the break waits for a third release.
        gate.Release(2);
        using var response = await ada.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new System.Text.StringBuilder();
        while (!received.ToString().Contains(" two", StringComparison.Ordinal) && await reader.ReadLineAsync() is { } line)
        {
            received.AppendLine(line);
        }
        // Both chunks went through Hearth; now the model server breaks off.
        gate.Release();
        received.Append(await reader.ReadToEndAsync());

        var events = received.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.StartsWith("data: {", e));
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.Equal("One two", string.Concat(chunks.Select(c => c["choices"]?[0]?["delta"]?["content"]?.GetValue<string>())));
        var failure = chunks[^1];
        Assert.Equal("bad_gateway", failure["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith("The model server's reply broke off", failure["error"]!["message"]!.GetValue<string>());
        Assert.Equal(failure["detail"]!.GetValue<string>(), failure["error"]!["message"]!.GetValue<string>());
    }

    private static JsonObject AssertError(JsonObject results, string name, string errorClass, int status, string? message, string code)
    {
        var error = OpenAiSdk.Error(results, name);
        Assert.Equal(errorClass, error["class"]!.GetValue<string>());
        Assert.Equal(status, error["status"]!.GetValue<int>());
        if (message is not null)
        {
            Assert.Equal(message, error["message"]!.GetValue<string>());
        }
        Assert.Equal(code, error["code"]!.GetValue<string>());
        return error;
    }
}

public sealed class OpenAiClientTestsOnSqlite() : OpenAiClientTests(DatabaseKind.Sqlite);
public sealed class OpenAiClientTestsOnPostgres() : OpenAiClientTests(DatabaseKind.Postgres);
