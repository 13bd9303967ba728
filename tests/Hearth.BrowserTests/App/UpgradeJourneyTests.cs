using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14 (a tab left open across an upgrade): the page's import map names each module by its content's version, and
/// Hearth answers another version's address with 404. A tab whose on-demand module (an admin's settings tab, KaTeX) is
/// gone reloads into the new version, keeping the message being written; a server that keeps answering 404 makes it
/// reload once a minute at most, and the failure is shown. The upgrade is played by the browser's router answering the
/// module's versioned address as the upgraded Hearth does (its files are built into it, so a test cannot change them).
/// </summary>
public sealed class UpgradeJourneyTests : AppJourney
{
    [Fact]
    public async Task ATabWhoseOnDemandModuleIsGoneReloadsKeepingTheDraftAndDoesNotLoop()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        var gone = 0;
        await page.RouteAsync("**/assets/app/users.js?v=*", async route =>
        {
            Interlocked.Increment(ref gone);
            var upgraded = await route.FetchAsync(new() { Url = route.Request.Url.Split('?')[0] + "?v=0000000000000000" });
            await route.FulfillAsync(new() { Response = upgraded });
        });
        var prompt = page.GetByLabel("Message", new() { Exact = true });
        await prompt.FillAsync("Half a thought");

        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Load += (_, _) => reloaded.TrySetResult();
        await OpenUsersTabAsync(page);
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // The import and the check both met the gone version; the reloaded tab has the draft back.
        Assert.Equal(2, Volatile.Read(ref gone));
        await Assertions.Expect(prompt).ToHaveValueAsync("Half a thought");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('hearth.draft')"));

        // Still gone a moment later: no second reload within the minute; the failure is shown where the app shows failures.
        await page.EvaluateAsync("window.sameDocument = true");
        await OpenUsersTabAsync(page);
        await Assertions.Expect(page.Locator("#model-note")).ToContainTextAsync("users.js");
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
        // The check asked again (the import itself may be answered from the browser's memory of the failure).
        Assert.True(Volatile.Read(ref gone) >= 3);

        // Served again (as after a reload into the new version): the tab works.
        await page.UnrouteAllAsync();
        await page.ReloadAsync();
        await OpenUsersTabAsync(page);
        await Assertions.Expect(page.Locator("#settings-dialog #user-list .user-name")).ToHaveTextAsync(["Ada"]);
        problems.AssertNone("users.js", "404");
    }

    /// <summary>
    /// A page that reaches a process of another version for one of its first modules (several processes upgraded one by
    /// one) cannot start: it reloads once, and starts.
    /// </summary>
    [Fact]
    public async Task APageWhoseFirstModulesAreGoneReloadsOnce()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token);
        // Every request of the first page for the module meets the other version; the page loaded again gets it.
        var pages = 0;
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest)
            {
                Interlocked.Increment(ref pages);
            }
        };
        var gone = 0;
        await page.RouteAsync("**/assets/app/tags.js?v=*", async route =>
        {
            if (Volatile.Read(ref pages) <= 1)
            {
                Interlocked.Increment(ref gone);
                var other = await route.FetchAsync(new() { Url = route.Request.Url.Split('?')[0] + "?v=0000000000000000" });
                await route.FulfillAsync(new() { Response = other });
                return;
            }
            await route.ContinueAsync();
        });

        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator("#app[data-ready]")).ToBeAttachedAsync();
        Assert.True(Volatile.Read(ref gone) >= 1);
        Assert.Equal(2, Volatile.Read(ref pages));
    }

    private static async Task OpenUsersTabAsync(IPage page)
    {
        await AppSteps.ShowChatListAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true }).ClickAsync();
        await page.Locator("#settings-dialog").GetByRole(AriaRole.Tab, new() { Name = "Users", Exact = true }).ClickAsync();
    }
}
