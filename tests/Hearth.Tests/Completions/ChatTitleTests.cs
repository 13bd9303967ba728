using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Completions;

/// <summary>
/// Titles made by the model after a chat's first reply (Open WebUI's <c>background_tasks.title_generation</c>): written
/// and announced as <c>chat:title</c>; never for a later reply, when turned off, when the model fails, or over a rename
/// made meanwhile. Nothing here depends on the database, so it runs on SQLite only.
/// </summary>
public sealed class ChatTitleTests() : HearthTest(DatabaseKind.Sqlite)
{
    private static Dictionary<string, string?> OpenAi(ScriptedModelServer model, bool titles = true) => new()
    {
        ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
        ["ENABLE_TITLE_GENERATION"] = titles ? "true" : "false",
    };

    private static object FirstQuestion(string? chatId = null) => new
    {
        model = "gpt-test", session_id = "s", chat_id = chatId, id = "reply-1", parent_id = "user-1",
        user_message = new { id = "user-1", parentId = (string?)null, childrenIds = Array.Empty<string>(), role = "user", content = "How do I bake cookies?", timestamp = 1_700_000_000 },
        messages = new[] { new { role = "user", content = "How do I bake cookies?" } },
        background_tasks = new { title_generation = true },
    };

    /// <summary>Waits until the chat runs no task (its reply and any title are done).</summary>
    private static async Task IdleAsync(TestUser user, string chatId)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(50))
        {
            var tasks = await Json.ReadObjectAsync(await user.Client.GetAsync($"/api/tasks/chat/{chatId}"), 200);
            if (tasks["task_ids"]!.AsArray().Count == 0)
            {
                return;
            }
        }
        Assert.Fail("the chat's task did not end");
    }

    private static async Task<string> TitleAsync(TestUser user, string chatId) => (await ChatDocs.GetAsync(user, chatId))["title"]!.GetValue<string>();

    [Fact]
    public async Task TheFirstReplyGetsTheModelsTitleAndItsViewersHearOfIt()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Cream butter ", "and sugar."]), new Script(["Sure! {\"title\": \"🍪 Baking Cookies\"}"]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        await using var events = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        var started = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", FirstQuestion()), 200);
        var chatId = started["chat_id"]!.GetValue<string>();

        var titled = await events.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "chat:title", TimeSpan.FromSeconds(30));
        Assert.Equal(chatId, titled!["chat_id"]!.GetValue<string>());
        Assert.Equal("🍪 Baking Cookies", titled["data"]!["data"]!.GetValue<string>());
        Assert.Equal("🍪 Baking Cookies", await TitleAsync(ada, chatId));
        var listed = await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/"), 200);
        Assert.Equal("🍪 Baking Cookies", listed!.AsArray().Single()!["title"]!.GetValue<string>());

        // The model was asked once more, without streaming, with the question and the reply in the prompt.
        var asked = model.Requests.Last();
        Assert.False(asked["stream"]!.GetValue<bool>());
        var prompt = asked["messages"]!.AsArray().Single()!["content"]!.GetValue<string>();
        Assert.Contains("USER: How do I bake cookies?\nASSISTANT: Cream butter and sugar.", prompt);
        Assert.Contains("{ \"title\": \"the title\" }", prompt);
        Assert.Equal("Cream butter and sugar.", (await CompletionTests.WaitForMessageAsync(ada, chatId, "reply-1", _ => true))!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheTaskModelOfTheChatsKindOfConnectionMakesTheTitle()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Models = ["gpt-test", "task-mini"];
        // TASK_MODEL is the Ollama chats' task model: not this chat's.
        var (title, asked) = await TitleWithAsync(model, new() { ["TASK_MODEL_EXTERNAL"] = "task-mini", ["TASK_MODEL"] = "gpt-test-ollama" });
        Assert.Equal("Cookies", title);
        Assert.Equal(["gpt-test", "task-mini"], asked);
    }

    [Fact]
    public async Task ATaskModelNoConnectionServesLeavesTheTitleToTheChatsOwnModel()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var (title, asked) = await TitleWithAsync(model, new() { ["TASK_MODEL_EXTERNAL"] = "retired-model" });
        Assert.Equal("Cookies", title);
        Assert.Equal(["gpt-test", "gpt-test"], asked);
        // The list the completion read moments before says the task model is not there: the title does not ask again.
        Assert.Equal(1, model.Listings);
    }

    /// <summary>A first question and its title with <paramref name="settings"/> added: the title, and the model each request to the model server named.</summary>
    private async Task<(string Title, string[] Asked)> TitleWithAsync(ScriptedModelServer model, Dictionary<string, string?> settings)
    {
        model.Enqueue(new Script(["Cream butter."]), new Script(["{\"title\": \"Cookies\"}"]));
        var all = OpenAi(model);
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }
        await using var app = await StartAsync(all);
        var ada = await app.SignUpAsync("Ada");
        var chatId = (await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", FirstQuestion()), 200))["chat_id"]!.GetValue<string>();
        await IdleAsync(ada, chatId);
        return (await TitleAsync(ada, chatId), model.Requests.Select(r => r["model"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task ALaterReplyKeepsTheChatsTitle()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["More."]), new Script(["{\"title\": \"Never used\"}"]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Ongoing", 1);
        await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "s", chat_id = chatId, id = "r2", parent_id = "u2",
            user_message = new { id = "u2", parentId = "a0", childrenIds = Array.Empty<string>(), role = "user", content = "And then?", timestamp = 1_700_000_100 },
            messages = new[] { new { role = "user", content = "And then?" } },
            background_tasks = new { title_generation = true },
        }).SucceedsAsync();
        await IdleAsync(ada, chatId);
        Assert.Single(model.Requests);
        Assert.Equal("Ongoing", await TitleAsync(ada, chatId));
    }

    [Theory]
    [InlineData("off")]
    [InlineData("failing model")]
    [InlineData("no title in the answer")]
    public async Task WithoutATitleTheChatKeepsItsOwn(string why)
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Cream butter."]), why switch
        {
            "failing model" => new Script([], Status: 500, ErrorBody: """{"error":{"message":"overloaded"}}"""),
            _ => new Script(["   "]),
        });
        await using var app = await StartAsync(OpenAi(model, titles: why != "off"));
        var ada = await app.SignUpAsync("Ada");
        var chatId = (await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", FirstQuestion()), 200))["chat_id"]!.GetValue<string>();
        await IdleAsync(ada, chatId);
        Assert.Equal(why == "off" ? 1 : 2, model.Requests.Count);
        Assert.Equal("New Chat", await TitleAsync(ada, chatId));
        var reply = await CompletionTests.WaitForMessageAsync(ada, chatId, "reply-1", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("Cream butter.", reply!["content"]!.GetValue<string>());
        Assert.Null(reply["error"]);
    }

    [Fact]
    public async Task ARenameMadeWhileTheTitleIsMadeWins()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        // The title's answer is held until the owner has renamed the chat.
        var held = new SemaphoreSlim(0);
        model.Enqueue(new Script(["Cream butter."]), new Script(["{\"title\": \"Too late\"}"], ChunkGate: held));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "New Chat", 0);
        await using var events = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        await ada.Client.PostAsJsonAsync("/api/chat/completions", FirstQuestion(chatId)).SucceedsAsync();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); model.Requests.Count < 2; await Task.Delay(50))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the title was never asked for");
        }
        await ada.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}", new { chat = new { title = "Mine" } }).SucceedsAsync();
        held.Release();
        await IdleAsync(ada, chatId);
        Assert.Equal("Mine", await TitleAsync(ada, chatId));
        Assert.Null(await events.NextAsync(e => e["data"]?["type"]?.GetValue<string>() == "chat:title", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task BackgroundTasksOfAnotherShapeAskForNoTitle()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Cream butter."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "New Chat", 0);
        await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "s", chat_id = chatId, id = "reply-1", parent_id = "user-1",
            user_message = new { id = "user-1", parentId = (string?)null, childrenIds = Array.Empty<string>(), role = "user", content = "Hi", timestamp = 1_700_000_000 },
            messages = new[] { new { role = "user", content = "Hi" } },
            background_tasks = "title_generation",
        }).SucceedsAsync();
        await IdleAsync(ada, chatId);
        Assert.Single(model.Requests);
        Assert.Equal("New Chat", await TitleAsync(ada, chatId));
    }

    [Theory]
    [InlineData("{\"title\": \"Cookie Science\"}", "Cookie Science")]
    [InlineData("```json\n{ \"title\": \"  Cookie   Science \" }\n```", "Cookie Science")]
    [InlineData("\"Cookie Science\"\nBecause the chat is about cookies.", "Cookie Science")]
    [InlineData("## **Cookie Science**", "Cookie Science")]
    [InlineData("{\"name\": \"no title key\"}", null)]
    [InlineData("{\"title\": \"\"}", null)]
    [InlineData("   \n  ", null)]
    [InlineData(null, null)]
    public void TheTitleIsReadFromWhatTheModelAnswered(string? answer, string? title) => Assert.Equal(title, TitlePrompt.Read(answer));

    [Fact]
    public void ALongTitleIsCutOnAWholeCharacter()
    {
        var title = TitlePrompt.Read(new string('a', TitlePrompt.MaxTitleLength - 1) + "🍪 and more words");
        Assert.Equal(new string('a', TitlePrompt.MaxTitleLength - 1), title);
    }

    [Fact]
    public void ThePromptTemplateIsFilledAsOpenWebUiFillsIt()
    {
        (string, string)[] messages = [("user", "first"), ("assistant", "second"), ("user", new string('x', 5_000))];
        Assert.Equal("[USER: first\nASSISTANT: second]", TitlePrompt.Fill("[{{MESSAGES:START:2}}]", messages));
        Assert.Equal("ASSISTANT: second", TitlePrompt.Fill("{{MESSAGES:END:2}}", messages).Split('\n')[0]);
        Assert.Equal(TitlePrompt.MaxMessageLength + 1, TitlePrompt.Fill("{{prompt}}", messages).Length);
        Assert.Equal(3, TitlePrompt.Fill("{{MESSAGES}}", messages).Split('\n').Length);
    }
}
