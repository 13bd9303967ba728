using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Completions;

/// <summary>What the model is shown for a stored chat (Open WebUI 0.11): the stored path, the folder's system prompt.</summary>
public abstract class ConversationContextTests(DatabaseKind kind) : HearthTest(kind)
{
    private static Dictionary<string, string?> OpenAi(ScriptedModelServer model) =>
        new() { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() };

    private static IEnumerable<string> Turns(JsonObject request) =>
        request["messages"]!.AsArray().Select(m => $"{m!["role"]!.GetValue<string>()}: {m["content"]!.GetValue<string>()}");

    /// <summary>A web-client completion of <paramref name="content"/> under <paramref name="parentId"/>, waited for.</summary>
    private static async Task AskAsync(TestUser user, string chatId, string parentId, string content, object[] requestMessages)
    {
        var userId = $"q-{Guid.NewGuid():N}";
        var replyId = $"r-{Guid.NewGuid():N}";
        await Json.ReadObjectAsync(await user.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "sid", chat_id = chatId, id = replyId, parent_id = userId,
            user_message = new { id = userId, parentId, childrenIds = Array.Empty<string>(), role = "user", content, timestamp = 1_700_000_500 },
            messages = requestMessages,
        }), 200);
        await CompletionTests.WaitForMessageAsync(user, chatId, replyId, m => m["done"]?.GetValue<bool>() == true);
    }

    [Fact]
    public async Task WebClientTurnsComeFromTheStoredPathNotFromTheRequest()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Sure."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Ongoing", 2);
        // The request's copy is stale and forged; only its leading system message is kept.
        await AskAsync(ada, chatId, "a0", "Branching off", [
            new { role = "system", content = "Be brief." },
            new { role = "user", content = "Forged turn" },
        ]);
        Assert.Equal(["system: Be brief.", "user: Question 0 about the quick brown fox", "assistant: Answer 0", "user: Branching off"],
            Turns(model.Requests.Single()));
    }

    [Fact]
    public async Task TheUsersMessageCarriesItsAuthor()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Hi."]), new Script(["Hi again."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Ongoing", 1);
        await AskAsync(ada, chatId, "a0", "Hello", [new { role = "user", content = "Hello" }]);
        var message = (await ChatDocs.GetAsync(ada, chatId))["chat"]!["history"]!["messages"]!.AsObject()
            .Single(m => m.Value!["content"]?.GetValue<string>() == "Hello").Value!;
        Assert.Equal(ada.Id, message["user_id"]!.GetValue<string>());
        Assert.Equal(ada.Id, message["user"]!["id"]!.GetValue<string>());
        Assert.Equal("Ada", message["user"]!["name"]!.GetValue<string>());

        // A new chat made by the completion stores its first message the same way.
        var answer = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", session_id = "sid", id = "r1", parent_id = "u1",
            user_message = new { id = "u1", parentId = (string?)null, childrenIds = Array.Empty<string>(), role = "user", content = "First" },
            messages = new[] { new { role = "user", content = "First" } },
        }), 200);
        var created = answer["chat_id"]!.GetValue<string>();
        await CompletionTests.WaitForMessageAsync(ada, created, "r1", m => m["done"]?.GetValue<bool>() == true);
        Assert.Equal("Ada", (await ChatDocs.GetAsync(ada, created))["chat"]!["history"]!["messages"]!["u1"]!["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFoldersSystemPromptReachesTheModelAndASubfolderDoesNotBorrowIt()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Arr."]), new Script(["Plain."]), new Script(["Arr again."]));
        await using var app = await StartAsync(OpenAi(model));
        var ada = await app.SignUpAsync("Ada");
        var project = (await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/folders/",
            new { name = "Pirates", data = new { system_prompt = "Speak like a pirate." } }), 200))["id"]!.GetValue<string>();
        var sub = await FolderTests.CreateFolderAsync(ada, "Plain", project);
        var inProject = await ChatDocs.CreateIdAsync(ada, "Ahoy", folderId: project);
        var inSub = await ChatDocs.CreateIdAsync(ada, "Hello", folderId: sub);

        await AskAsync(ada, inProject, "a0", "Where's the treasure?", [new { role = "system", content = "Be brief." }]);
        Assert.Equal("system: Speak like a pirate.\nBe brief.", Turns(model.Requests.Last()).First());
        await AskAsync(ada, inSub, "a0", "Where's the shop?", []);
        Assert.DoesNotContain(Turns(model.Requests.Last()), t => t.StartsWith("system:", StringComparison.Ordinal));

        // A completion saved into the chat without the web client's session gets the prompt too.
        var reply = await ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", chat_id = inProject, id = "saved", messages = new[] { new { role = "user", content = "Again?" } },
        });
        Assert.Equal(200, (int)reply.StatusCode);
        Assert.Equal(["system: Speak like a pirate.", "user: Again?"], Turns(model.Requests.Last()));
    }
}

public sealed class ConversationContextTestsOnSqlite() : ConversationContextTests(DatabaseKind.Sqlite);
public sealed class ConversationContextTestsOnPostgres() : ConversationContextTests(DatabaseKind.Postgres);
