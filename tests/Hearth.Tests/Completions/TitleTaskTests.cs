using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Completions;

/// <summary>
/// <c>POST /api/v1/tasks/title/completions</c>, Open WebUI's title task asked for directly: the conversation goes into the
/// title prompt, the task model answers without streaming, and its completion comes back as the model server sent it; a
/// server with titles off answers 200 with upstream's <c>detail</c>; a model the caller may not use is not found and
/// nothing reaches the model server. Nothing here depends on the database, so it runs on SQLite only.
/// </summary>
public sealed class TitleTaskTests() : HearthTest(DatabaseKind.Sqlite)
{
    private static readonly object Conversation = new
    {
        model = "gpt-test",
        chat_id = "not-stored-anywhere",
        messages = new object[]
        {
            new { role = "user", content = "How do I bake cookies?" },
            new { role = "assistant", content = "Cream butter and sugar." },
        },
    };

    private Task<HearthApp> StartWithAsync(ScriptedModelServer model, bool titles = true, string? taskModel = null) =>
        StartAsync(new Dictionary<string, string?>
        {
            ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
            ["ENABLE_TITLE_GENERATION"] = titles ? "true" : "false",
            ["TASK_MODEL_EXTERNAL"] = taskModel,
        });

    [Fact]
    public async Task TheTaskModelsCompletionComesBackWithTheTitleInItsText()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Models = ["gpt-test", "task-mini"];
        model.Enqueue(new Script(["{\"title\": \"🍪 Baking Cookies\"}"]));
        await using var app = await StartWithAsync(model, taskModel: "task-mini");
        var ada = await app.SignUpAsync("Ada");

        var completion = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", Conversation), 200);

        Assert.Equal("{\"title\": \"🍪 Baking Cookies\"}", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var asked = Assert.Single(model.Requests);
        Assert.Equal("task-mini", asked["model"]!.GetValue<string>());
        Assert.False(asked["stream"]!.GetValue<bool>());
        var prompt = asked["messages"]!.AsArray().Single()!["content"]!.GetValue<string>();
        Assert.Contains("USER: How do I bake cookies?\nASSISTANT: Cream butter and sugar.", prompt);
    }

    [Fact]
    public async Task AnOllamaModelsTitleIsMadeByTheOllamaTaskModel()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Models = ["gpt-test", "task-mini"];
        model.Enqueue(new Script(["{\"title\": \"Cookies\"}"]));
        // TASK_MODEL is the Ollama chats' task model (Open WebUI's get_task_model_id); TASK_MODEL_EXTERNAL the others'.
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["OLLAMA_BASE_URLS"] = model.Address.ToString(), ["TASK_MODEL"] = "task-mini", ["TASK_MODEL_EXTERNAL"] = "gpt-test",
        });
        var ada = await app.SignUpAsync("Ada");

        var completion = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", Conversation), 200);

        Assert.Equal("{\"title\": \"Cookies\"}", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("task-mini", Assert.Single(model.Requests)["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithTitlesOffTheAnswerSaysSoAndNoModelIsAsked()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartWithAsync(model, titles: false);
        var ada = await app.SignUpAsync("Ada");

        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", Conversation), 200, "Title generation is disabled");

        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task AModelTheCallerMayNotUseIsNotFoundAndBadRequestsAreRefused()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");

        // Unpublished, the connection's model is the admin's alone (Open WebUI 0.11); an unknown one is nobody's.
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", Conversation), 404, "Model not found");
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions",
            new { model = "no-such-model", messages = Array.Empty<object>() }), 404, "Model not found");
        Assert.Equal(422, (int)(await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", new { messages = Array.Empty<object>() })).StatusCode);
        Assert.Equal(422, (int)(await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", new { model = "gpt-test", messages = "Hi" })).StatusCode);
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/tasks/title/completions", Conversation), 403, "Not authenticated");
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task AModelServersFailureIsPassedOnWithItsReason()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script([], Status: 429, ErrorBody: """{"error":{"message":"Rate limit reached for task-mini"}}"""));
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");

        using var answer = await ada.Client.PostAsJsonAsync("/api/v1/tasks/title/completions", Conversation);

        Assert.Equal(429, (int)answer.StatusCode);
        Assert.Contains("Rate limit reached", (await Json.ReadObjectAsync(answer, 429))["detail"]!.GetValue<string>());
    }
}
