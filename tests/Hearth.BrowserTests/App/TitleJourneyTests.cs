using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14 (model-made titles): a new chat is first named after its first line, and once the first reply is in, the
/// title the model makes for it replaces that in the header, the tab and the chat list; a regenerated first reply and
/// later replies keep it.
/// </summary>
public sealed class TitleJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task TheModelNamesANewChatAfterItsFirstReply(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync(settings: new() { ["ENABLE_TITLE_GENERATION"] = "true" });
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");

        app.Model.Enqueue(new Script(["Cream the butter ", "and the sugar first."]), new Script(["{\"title\": \"🍪 Baking Cookies\"}"]));
        await AppSteps.SendAsync(page, "how do i bake cookies");
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("🍪 Baking Cookies");
        await Assertions.Expect(page).ToHaveTitleAsync("🍪 Baking Cookies · Hearth");
        await AppSteps.ShowChatListAsync(page);
        await Assertions.Expect(page.Locator("#chat-list a[aria-current]")).ToHaveTextAsync("🍪 Baking Cookies");

        // A reload reads the stored title; a regenerated first reply and the next reply ask for none.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("🍪 Baking Cookies");
        app.Model.Enqueue(new Script(["Use cold butter."]));
        await AppSteps.ReadyAsync(page);
        await AppSteps.LastReply(page).GetByRole(AriaRole.Button, new() { Name = "Regenerate reply" }).ClickAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Use cold butter.");
        await AppSteps.ReplyEndsAsync(page);
        app.Model.Enqueue(new Script(["Bake at 180 °C."]));
        await AppSteps.SendAsync(page, "and the oven?");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Bake at 180 °C.");
        Assert.Equal(4, app.Model.Requests.Count);
        Assert.All(app.Model.Requests.Skip(2), request => Assert.True(request["stream"]!.GetValue<bool>()));
        await Assertions.Expect(page.Locator("#chat-title")).ToHaveTextAsync("🍪 Baking Cookies");
        problems.AssertNone();
    }
}
