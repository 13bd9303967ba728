using System.Text.Json.Nodes;
using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, journey 2 (chat): pick a model, Enter sends and Shift+Enter breaks the line, the reply streams in as
/// safe Markdown with highlighted, copyable code, Stop keeps what came, a failed reply says why in place and Retry
/// answers; a reload shows the chat as stored.
/// </summary>
public abstract class ChatJourneyTests(bool postgres) : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task AReplyStreamsAsSafeMarkdownStopsFailsInPlaceRetriesAndReloadsAsStored(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync(postgres, models: ["gpt-test", "llama-local"]);
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync(["gpt-test", "llama-local"]);
        await page.GetByLabel("Model").SelectOptionAsync("llama-local");

        // The reply is held back chunk by chunk, so the test sees it stream.
        var gate = new SemaphoreSlim(0);
        app.Model.Enqueue(new Script([
            "Here is ",
            "**bold** and code:\n\n```python\nprint('hi')  # greet\n```\n\n",
            "<img src=x onerror=\"document.title='pwned'\"> [a link](javascript:alert(1)) done",
        ], ChunkGate: gate));
        var prompt = page.GetByLabel("Message", new() { Exact = true });
        await AppSteps.ReadyAsync(page);
        await prompt.FillAsync("First line");
        await prompt.PressAsync("Shift+Enter");
        await prompt.PressSequentiallyAsync("second line");
        await Assertions.Expect(prompt).ToHaveValueAsync("First line\nsecond line");
        await prompt.PressAsync("Enter");

        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await Assertions.Expect(prompt).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("#messages li.role-user .content")).ToHaveTextAsync("First line\nsecond line");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("First line");
        var stop = page.GetByRole(AriaRole.Button, new() { Name = "Stop" });
        await Assertions.Expect(stop).ToBeVisibleAsync();
        gate.Release();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Here is");
        await Assertions.Expect(page.Locator("#messages li.streaming")).ToHaveCountAsync(1);
        gate.Release(2);
        await AppSteps.ReplyEndsAsync(page);

        var reply = AppSteps.LastReply(page);
        await Assertions.Expect(reply.Locator(".author")).ToHaveTextAsync("llama-local");
        await Assertions.Expect(reply.Locator("strong")).ToHaveTextAsync("bold");
        await Assertions.Expect(reply.Locator(".code-block .tok-keyword")).ToHaveTextAsync("print");
        await Assertions.Expect(reply.Locator(".code-block .tok-comment")).ToHaveTextAsync("# greet");
        // Raw HTML is text, and a javascript: link leads nowhere.
        await Assertions.Expect(reply.Locator(".content")).ToContainTextAsync("<img src=x onerror=");
        await Assertions.Expect(reply.Locator(".content img")).ToHaveCountAsync(0);
        Assert.Null(await reply.GetByText("a link").GetAttributeAsync("href"));
        Assert.NotEqual("pwned", await page.TitleAsync());
        await reply.GetByRole(AriaRole.Button, new() { Name = "Copy python code" }).ClickAsync();
        await Assertions.Expect(reply.Locator(".copy-code")).ToHaveTextAsync("Copied");
        Assert.Equal("print('hi')  # greet", (await page.EvaluateAsync<string>("navigator.clipboard.readText()")).TrimEnd());
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-chat-{width}-{(postgres ? "postgres" : "sqlite")}");

        // Hearth asked the chosen model with the stored conversation.
        var asked = app.Model.Requests.Last();
        Assert.Equal("llama-local", asked["model"]!.GetValue<string>());
        Assert.Equal("First line\nsecond line", asked["messages"]!.AsArray().Last()!["content"]!.GetValue<string>());

        // Stop: what came so far stays, the rest never arrives.
        var held = new SemaphoreSlim(0);
        app.Model.Enqueue(new Script(["partial answer", " never shown"], ChunkGate: held));
        await AppSteps.SendAsync(page, "Stop me");
        held.Release();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("partial answer");
        await stop.ClickAsync();
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("partial answer");

        // A failing model server: the reason in place, and Retry asks again.
        app.Model.Enqueue(new Script([], Status: 500, ErrorBody: """{"error":{"message":"the model is overloaded"}}"""));
        await AppSteps.SendAsync(page, "Fail please");
        var error = AppSteps.LastReply(page).Locator(".message-error");
        await Assertions.Expect(error).ToContainTextAsync("overloaded");
        await AppSteps.ReplyEndsAsync(page);
        app.Model.Enqueue(new Script(["Recovered"]));
        await error.GetByRole(AriaRole.Button, new() { Name = "Retry this reply" }).ClickAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Recovered");
        await AppSteps.ReplyEndsAsync(page);

        // A reload draws the chat as stored: the same branch, the same rendering.
        var chatId = page.Url.Split('/').Last();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("First line");
        await Assertions.Expect(page.Locator("#messages li.role-user .content"))
            .ToHaveTextAsync(["First line\nsecond line", "Stop me", "Fail please"]);
        await Assertions.Expect(page.Locator("#messages li.role-assistant").First.Locator(".tok-keyword")).ToHaveTextAsync("print");
        await Assertions.Expect(page.Locator("#messages li.role-assistant").Nth(1).Locator(".content")).ToHaveTextAsync("partial answer");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Recovered");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".version")).ToHaveTextAsync("2/2");
        var stored = JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{chatId}"))!;
        Assert.Equal("First line", stored["title"]!.GetValue<string>());
        problems.AssertNone("500");
    }
}

public sealed class ChatJourneyTestsOnSqlite() : ChatJourneyTests(postgres: false);
public sealed class ChatJourneyTestsOnPostgres() : ChatJourneyTests(postgres: true);
