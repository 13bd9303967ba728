using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// The composer before the app knows the models: a first message sent while <c>/api/models</c> is still on its way
/// waits for the list and goes to the model it names, instead of being refused with "Pick a model first." (a fresh,
/// busy server once answered the list after a journey's Enter, and the journey waited a minute for a chat).
/// </summary>
public sealed class ComposerJourneyTests : AppJourney
{
    [Fact]
    public async Task AMessageSentBeforeTheModelsAreListedWaitsForThem()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        var held = new TaskCompletionSource();
        await page.RouteAsync("**/api/models", async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync("/");
        app.Model.Enqueue(new Script(["Here already."]));
        await AppSteps.SendAsync(page, "Quick question");
        await Assertions.Expect(page.Locator("#model option")).ToHaveCountAsync(0);
        held.SetResult();

        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Here already.");
        await Assertions.Expect(page.Locator("#messages li.role-user")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#model-note")).ToBeEmptyAsync();
        Assert.Equal("gpt-test", Assert.Single(app.Model.Requests)["model"]!.GetValue<string>());
        problems.AssertNone();
    }
}
