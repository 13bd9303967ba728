using System.Text.Json;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>
/// <see cref="ChromiumFeatures"/> against the Chromium Playwright actually launches: the list it repeats must hold every
/// feature Playwright itself disables (else a Playwright update would silently turn some back on), and the omnibox
/// popups must be gone from a new page's window.
/// </summary>
public sealed class ChromiumFeaturesTests : IAsyncLifetime
{
    // Chromium only tells its command line to a client when launched for automation.
    private readonly BrowserSession _browser = new("--enable-automation");

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task TheRepeatedListHoldsPlaywrightsOwnAndComesLast()
    {
        var cdp = await _browser.Browser.NewBrowserCDPSessionAsync();
        var answer = await cdp.SendAsync("Browser.getBrowserCommandLine");
        var switches = answer!.Value.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!)
            .Where(a => a.StartsWith("--disable-features=", StringComparison.Ordinal)).ToList();

        Assert.True(switches.Count >= 2, $"Playwright no longer passes --disable-features of its own: {string.Join(' ', switches)}");
        Assert.Equal(ChromiumFeatures.Switch, switches[^1]);
        var playwrights = switches[0]["--disable-features=".Length..].Split(',');
        var missing = playwrights.Except(ChromiumFeatures.Playwright).ToList();
        Assert.True(missing.Count == 0, $"Playwright now disables {string.Join(", ", missing)} too: add them to ChromiumFeatures.Playwright.");
    }

    [Fact]
    public async Task ANewPagesWindowBuildsNoOmniboxPopup()
    {
        await using var context = await _browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("about:blank");
        var cdp = await _browser.Browser.NewBrowserCDPSessionAsync();

        // The empty filter lists every kind of target, the browser's own pages too (without either flag the popups are listed
        // here as "browser_ui" targets once the page has loaded: this test failed when one flag was left out).
        var answer = await cdp.SendAsync("Target.getTargets", new Dictionary<string, object> { ["filter"] = new[] { new Dictionary<string, object>() } });

        var addresses = answer!.Value.GetProperty("targetInfos").EnumerateArray().Select(t => t.GetProperty("url").GetString()).ToList();
        Assert.Contains("about:blank", addresses);
        Assert.DoesNotContain(addresses, a => a!.StartsWith("chrome://omnibox-popup", StringComparison.Ordinal));
    }
}
