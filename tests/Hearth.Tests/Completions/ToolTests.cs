using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Completions;

public abstract class ToolTests(DatabaseKind kind) : HearthTest(kind)
{
    private static JsonObject Call(string tool, object arguments) => new()
    {
        ["id"] = "call_1", ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = tool, ["arguments"] = JsonContent.Create(arguments).ReadAsStringAsync().Result },
    };

    private static async Task<JsonObject> RunTool(TestUser user, string tool, object arguments, string? chatId = null) =>
        await Json.ReadObjectAsync(await user.Client.PostAsJsonAsync($"/api/v1/tools/{tool}/run", new { arguments, chat_id = chatId, message_id = "a0" }), 200);

    [Fact]
    public async Task ToolsAreListedWithTheirSchemas()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var tools = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/tools/"), 200))!.AsArray();
        Assert.Equal(["python_exec", "template_render"], tools.Select(t => t!["id"]!.GetValue<string>()).Order());
        Assert.All(tools, t => Assert.Equal("object", t!["parameters"]!["type"]!.GetValue<string>()));
        Assert.Equal(404, (int)(await ada.Client.PostAsJsonAsync("/api/v1/tools/nope/run", new { arguments = new { } })).StatusCode);
    }

    [Fact]
    public async Task RunningCodeIsForAdminsUntilAnAdminGrantsTheCodeInterpreter()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var code = new { code = "print(6 * 7)" };

        // A plain user neither sees nor runs python_exec, directly or through a completion; the model is never asked.
        var listed = (await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/tools/"), 200))!.AsArray();
        Assert.Equal(["template_render"], listed.Select(t => t!["id"]!.GetValue<string>()));
        var refused = await bob.Client.PostAsJsonAsync("/api/v1/tools/python_exec/run", new { arguments = code });
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Contains("features.code_interpreter", (await Json.ReadObjectAsync(refused, 403))["detail"]!.GetValue<string>());
        var chatId = await ChatDocs.CreateIdAsync(bob, "Tools", 1);
        var completion = await bob.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0", tool_ids = new[] { "python_exec" },
            messages = new[] { new { role = "user", content = "compute" } },
        });
        Assert.Equal(403, (int)completion.StatusCode);
        Assert.Empty(model.Requests);
        Assert.Equal(200, (int)(await bob.Client.PostAsJsonAsync("/api/v1/tools/template_render/run",
            new { arguments = new { template = "<p>{{x}}</p>", data = new { x = 1 }, name = "ok" } })).StatusCode);

        // Admins always may; once an admin grants the permission, so may users.
        Assert.Equal("42\n", (await RunTool(ada, "python_exec", code))["content"]!.GetValue<string>());
        var permissions = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/default/permissions"), 200);
        Assert.False(permissions["features"]!["code_interpreter"]!.GetValue<bool>());
        permissions["features"]!["code_interpreter"] = true;
        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/users/default/permissions", permissions), 200);
        Assert.Equal("42\n", (await RunTool(bob, "python_exec", code))["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheToolLoopRunsPythonAndSavesCallsResultsAndFiles()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var code = "import csv\nwith open('table.csv', 'w') as f:\n    f.write('a,b\\n1,2\\n')\nprint(6 * 7)";
        model.Enqueue(new Script([], ToolCall: Call("python_exec", new { code })), new Script(["The answer is 42."]));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Tools", 1);
        var response = await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0", tool_ids = new[] { "python_exec" },
            messages = new[] { new { role = "user", content = "compute" } },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("The answer is 42.", text);
        Assert.DoesNotContain("tool_calls", text);
        var reply = await CompletionTests.WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("The answer is 42.", reply!["content"]!.GetValue<string>());
        Assert.Equal("python_exec", reply["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        var result = reply["tool_results"]![0]!;
        Assert.Equal("42\n", result["content"]!.GetValue<string>());
        Assert.False(result["error"]!.GetValue<bool>());
        Assert.Equal("table.csv", result["files"]![0]!["name"]!.GetValue<string>());
        var attached = Assert.Single(reply["files"]!.AsArray())!;
        Assert.Equal("table.csv", attached["name"]!.GetValue<string>());
        Assert.True(attached["artifact"]!.GetValue<bool>());

        // The file is an artifact of the chat: in its list, in the gallery, and downloadable as written.
        var listed = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chatId}/artifacts"), 200))!.AsArray();
        Assert.Equal("table.csv", Assert.Single(listed)!["name"]!.GetValue<string>());
        Assert.Equal("r", listed[0]!["message_id"]!.GetValue<string>());
        var gallery = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts?type=files"), 200);
        Assert.Equal(1, gallery["total"]!.GetValue<long>());
        var download = await ada.Client.GetAsync(attached["url"]!.GetValue<string>());
        Assert.Equal("a,b\n1,2\n", await download.Content.ReadAsStringAsync());

        var requests = model.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal("python_exec", requests[0]["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        var toolMessage = requests[1]["messages"]!.AsArray().Last()!;
        Assert.Equal("tool", toolMessage["role"]!.GetValue<string>());
        Assert.Equal("call_1", toolMessage["tool_call_id"]!.GetValue<string>());
        Assert.StartsWith("42", toolMessage["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task EachStepIsSentAndSavedAsItEndsBeforeTheAnswerComes()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        using var gate = new SemaphoreSlim(0);
        model.Enqueue(new Script([], ToolCall: Call("template_render", new { template = "<p>{{n}}</p>", data = new { n = 1 }, name = "one" })),
            new Script(["Done."], ChunkGate: gate));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Steps", 1);
        await using var events = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "s", chat_id = chatId, id = "r", parent_id = "a0", tool_ids = new[] { "template_render" },
            messages = new[] { new { role = "user", content = "render" } },
        }).SucceedsAsync();

        // The call as it begins (no result yet), then with its result: both while the answer is held back.
        static int Results(JsonObject e) => (e["data"]?["data"]?["tool_results"] as JsonArray)?.Count ?? -1;
        static bool Step(JsonObject e) => e["data"]?["type"]?.GetValue<string>() == "chat:completion" && e["data"]?["data"]?["tool_calls"] is JsonArray;
        var begun = await events.NextAsync(Step, TimeSpan.FromSeconds(10));
        Assert.Equal(0, Results(begun!));
        Assert.Equal("template_render", begun!["data"]!["data"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        var ended = await events.NextAsync(Step, TimeSpan.FromSeconds(10));
        Assert.Equal(1, Results(ended!));
        Assert.False(ended!["data"]!["data"]!["done"]!.GetValue<bool>());
        Assert.Equal("one.html", ended["data"]!["data"]!["tool_results"]![0]!["files"]![0]!["name"]!.GetValue<string>());
        // A reload meanwhile finds the step on the stored message.
        var saved = await CompletionTests.WaitForMessageAsync(ada, chatId, "r", m => (m["tool_results"] as JsonArray)?.Count == 1);
        Assert.False(saved!["done"]!.GetValue<bool>());
        Assert.Equal("", saved["content"]!.GetValue<string>());

        gate.Release();
        var done = await events.NextAsync(e => e["data"]?["data"]?["done"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(10));
        Assert.Equal("Done.", done!["data"]!["data"]!["content"]!.GetValue<string>());
        Assert.Equal(1, Results(done));
        var reply = await CompletionTests.WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("Done.", reply!["content"]!.GetValue<string>());
        Assert.Equal("call_1", reply["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("one.html", reply["tool_results"]![0]!["files"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheToolLoopRunsTemplateRenderWithoutStreaming()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script([], ToolCall: Call("template_render", new { template = "<h1>{{title}}</h1>", data = new { title = "Q3" }, name = "q3" })),
            new Script(["Your report is ready."]));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Report", 1);
        var completion = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/chat/completions", new
        {
            model = "gpt-test", chat_id = chatId, id = "r", parent_id = "a0", tool_ids = new[] { "template_render" },
            messages = new[] { new { role = "user", content = "make the report" } },
        }), 200);
        Assert.Equal("Your report is ready.", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var reply = await CompletionTests.WaitForMessageAsync(ada, chatId, "r", m => m["done"]?.GetValue<bool>() == true);
        var file = Assert.Single(reply!["files"]!.AsArray())!;
        Assert.Equal("q3.html", file["name"]!.GetValue<string>());
        Assert.Equal("<h1>Q3</h1>", await (await ada.Client.GetAsync(file["url"]!.GetValue<string>())).Content.ReadAsStringAsync());
        var gallery = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/artifacts?type=html&conversation_id={chatId}"), 200);
        Assert.Equal("q3.html", gallery["items"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplateRenderMakesAnEscapedHtmlReport()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var result = await RunTool(ada, "template_render", new
        {
            template = "<h1>{{title}}</h1><ul>{{#each items}}<li>{{name}}: {{score}}</li>{{/each}}</ul>",
            data = new { title = "Scores <b>", items = new[] { new { name = "Ada", score = 3 }, new { name = "Bob", score = 5 } } },
            name = "scores",
        });
        Assert.False(result["is_error"]!.GetValue<bool>());
        Assert.Equal("scores.html", result["files"]![0]!["name"]!.GetValue<string>());
        var chatId = await ChatDocs.CreateIdAsync(ada, "Report", 1);
        var stored = await RunTool(ada, "template_render", new { template = "<p>{{x}}</p>", data = new { x = "<script>" }, name = "escaped" }, chatId);
        var file = stored["files"]![0]!;
        Assert.True(file["artifact"]!.GetValue<bool>());
        Assert.Equal("<p>&lt;script&gt;</p>", await (await ada.Client.GetAsync(file["url"]!.GetValue<string>())).Content.ReadAsStringAsync());
        var html = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts?type=html"), 200);
        Assert.Equal("escaped.html", html["items"]![0]!["name"]!.GetValue<string>());
        var message = (await ChatDocs.GetAsync(ada, chatId))["chat"]!["history"]!["messages"]!["a0"]!;
        Assert.Equal("escaped.html", message["files"]![0]!["name"]!.GetValue<string>());
        var eve = await app.AddUserAsync(ada, "Eve");
        Assert.Equal(404, (int)(await eve.Client.PostAsJsonAsync("/api/v1/tools/template_render/run", new { arguments = new { template = "x" }, chat_id = chatId })).StatusCode);
        var broken = await RunTool(ada, "template_render", new { template = "{{#each}}" });
        Assert.True(broken["is_error"]!.GetValue<bool>());
        Assert.True((await RunTool(ada, "template_render", new { data = new { } }))["is_error"]!.GetValue<bool>());
    }
}

public sealed class ToolTestsOnSqlite() : ToolTests(DatabaseKind.Sqlite);
public sealed class ToolTestsOnPostgres() : ToolTests(DatabaseKind.Postgres);
