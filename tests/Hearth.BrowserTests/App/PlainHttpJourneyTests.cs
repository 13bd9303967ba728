using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Hearth opened at a plain-http address that is not this machine's loopback (how people reach it on a home or office
/// network): the browser withholds the APIs of secure contexts (crypto.randomUUID, the Clipboard API), and the app
/// must still chat, copy and keep a temporary chat. Chromium is told that <c>hearth.test</c> is 127.0.0.1, a name it
/// does not count as secure, as it would a LAN address.
/// </summary>
public sealed class PlainHttpJourneyTests : IAsyncLifetime
{
    private const string Host = "hearth.test";
    private readonly BrowserSession _browser = new($"--host-resolver-rules=MAP {Host} 127.0.0.1");

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task TheAppChatsAndCopiesWithoutASecureContext()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await _browser.PageAsync(app.Hearth, token, host: Host);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        Assert.StartsWith($"http://{Host}:", page.Url);
        Assert.False(await page.EvaluateAsync<bool>("window.isSecureContext"));
        Assert.True(await page.EvaluateAsync<bool>("typeof crypto.randomUUID === 'undefined' && typeof navigator.clipboard === 'undefined'"));

        app.Model.Enqueue(new Script(["Hello ", "from the LAN"]));
        await AppSteps.SendAsync(page, "Hi over plain http");
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await AppSteps.ReplyEndsAsync(page);
        var reply = AppSteps.LastReply(page);
        await Assertions.Expect(reply.Locator(".content")).ToHaveTextAsync("Hello from the LAN");
        var copy = reply.GetByRole(AriaRole.Button, new() { Name = "Copy message", Exact = true });
        await copy.ClickAsync();
        await Assertions.Expect(copy).ToBeFocusedAsync();
        // What was copied, read back by a page the browser counts as secure (only there is the Clipboard API).
        var origin = app.Hearth.Address.ToString().TrimEnd('/');
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = origin });
        var secure = await page.Context.NewPageAsync();
        await secure.GotoAsync(origin + "/health");
        await secure.BringToFrontAsync();
        Assert.Equal("Hello from the LAN", await secure.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await secure.CloseAsync();
        await page.BringToFrontAsync();

        // A temporary chat's id is made in the page too.
        await page.GetByRole(AriaRole.Link, new() { Name = "New chat" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Temporary chat" }).ClickAsync();
        app.Model.Enqueue(new Script(["Kept nowhere"]));
        await AppSteps.SendAsync(page, "Just between us");
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("Kept nowhere");
        problems.AssertNone();
    }
}
