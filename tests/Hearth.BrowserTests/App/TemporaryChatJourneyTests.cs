using System.Text.Json.Nodes;
using Hearth.Tests.Completions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 15's temporary chats, in the app (Open WebUI's <c>local:</c> chats): switched on for a new chat, the
/// conversation goes on with the model reading the whole branch, but nothing is stored: no address of its own, nothing
/// in the chat list or the API, and a reload ends it.
/// </summary>
public sealed class TemporaryChatJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ATemporaryChatAnswersButIsNeverStored(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        var temporary = page.GetByRole(AriaRole.Button, new() { Name = "Temporary chat" });
        await temporary.ClickAsync();
        await Assertions.Expect(temporary).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("Temporary chat");

        app.Model.Enqueue(new Script(["Nothing ", "is kept."]));
        await AppSteps.SendAsync(page, "Hello");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Nothing is kept.");
        await AppSteps.ReplyEndsAsync(page);
        // It has no address of its own, and cannot be made a stored chat half way.
        Assert.EndsWith("/", page.Url);
        await Assertions.Expect(temporary).ToBeDisabledAsync();

        // The model is sent the whole conversation, since nothing of it is stored.
        app.Model.Enqueue(new Script(["Second answer"]));
        await AppSteps.SendAsync(page, "Again");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Second answer");
        await AppSteps.ReplyEndsAsync(page);
        var asked = app.Model.Requests.Last()["messages"]!.AsArray().Select(m => $"{m!["role"]}: {m["content"]}");
        Assert.Equal(["user: Hello", "assistant: Nothing is kept.", "user: Again"], asked);
        await BrowserSession.ScreenshotAsync(page, $"app-temporary-{width}");

        // Nothing was stored: no chat in the list or the API; a reload ends the conversation.
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync("/api/v1/chats/"))!.AsArray());
        await AppSteps.ShowChatListAsync(page);
        await Assertions.Expect(page.Locator("#chat-list a")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("New chat");
        await Assertions.Expect(page.Locator("#messages > li")).ToHaveCountAsync(0);
        problems.AssertNone();
    }

    /// <summary>
    /// The event stream drops while a temporary reply is generated, and the reply ends before it is back: the end was
    /// never heard and nothing stored can tell it, so the app asks whether the reply is still running and, since it is
    /// not, shows it as cut off instead of "generating" for good. (Behaviour, not layout: one width.)
    /// </summary>
    [Fact]
    public async Task ATemporaryReplyThatEndedWhileTheStreamWasDownIsShownCutOff()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, 1280, 800);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Temporary chat" }).ClickAsync();

        var gate = new SemaphoreSlim(0);
        app.Model.Enqueue(new Script(["Half ", "an answer"], ChunkGate: gate));
        await AppSteps.SendAsync(page, "Hello");
        gate.Release();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Half");

        // The stream ends (as when the server loses its listener) and cannot come back until the reply is over.
        await page.RouteAsync("**/api/events", route => route.AbortAsync());
        app.Hearth.Services.GetRequiredService<Hearth.Server.Events.EventBus>().EndStreams();
        gate.Release();
        var tasks = app.Hearth.Services.GetRequiredService<Hearth.Server.Completions.TaskRegistry>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); tasks.All().Count > 0; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "the reply never finished");
        }
        await page.UnrouteAsync("**/api/events");

        await Assertions.Expect(AppSteps.LastReply(page).Locator(".message-error")).ToContainTextAsync("The connection dropped");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Half");
        problems.AssertNone("/api/events");
    }
}
