using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>Issue 14, journey 1 (arrive): the first account, sign-out and sign-in, a pending account, single-user mode.</summary>
public sealed class ArriveJourneyTests : AppJourney
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ANewAdminSignsUpLandsInTheAppSignsOutAndBackIn(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var page = await Browser.PageAsync(app.Hearth, width: width, height: height);
        var problems = new PageProblems(page);

        await page.GotoAsync("/");
        await BrowserSession.ArrivesAtAsync(page, "**/signup");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Create the admin account");
        await page.GetByLabel("Name").FillAsync("Ada");
        await page.GetByLabel("E-mail").FillAsync("ada@example.com");
        await page.GetByLabel("Password").FillAsync("correct horse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        Assert.EndsWith("/", page.Url);
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync(["gpt-test"]);
        await Assertions.Expect(page.Locator("#chat-list")).ToContainTextAsync("No chats yet.");
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-empty-{width}");

        await AppSteps.ShowChatListAsync(page);
        await Assertions.Expect(page.Locator(".sidebar-foot .who")).ToHaveTextAsync("Ada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, "**/signin");

        await page.GotoAsync("/");
        await BrowserSession.ArrivesAtAsync(page, "**/signin?next=%2F");
        await page.GetByLabel("E-mail").FillAsync("ada@example.com");
        await page.GetByLabel("Password").FillAsync("correct horse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        Assert.EndsWith("/", page.Url);
        problems.AssertNone("401", "Invalid token");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ALaterSignUpWaitsForApprovalAndCanSignOut(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync(settings: new() { ["ENABLE_SIGNUP"] = "true" });
        await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, width: width, height: height);

        await page.GotoAsync("/signup");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Create an account");
        await page.GetByLabel("Name").FillAsync("Bob");
        await page.GetByLabel("E-mail").FillAsync("bob@example.com");
        await page.GetByLabel("Password").FillAsync("correct horse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Waiting for approval");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("bob@example.com");
        await Assertions.Expect(page.GetByLabel("Message", new() { Exact = true })).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, $"app-pending-{width}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, "**/signin");
        await page.GotoAsync("/");
        await BrowserSession.ArrivesAtAsync(page, "**/signin?next=%2F");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task SingleUserModeOpensTheAppWithoutASignInStep(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync(settings: new() { ["WEBUI_AUTH"] = "false" });
        var page = await Browser.PageAsync(app.Hearth, width: width, height: height);

        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        Assert.EndsWith("/", page.Url);
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync(["gpt-test"]);
        problems.AssertNone();
    }
}
