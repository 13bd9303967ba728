using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>The storage bridge's manual test page: it works in Hearth, and another site cannot frame it.</summary>
public sealed class BridgePageTests(ArtifactFrameFixture fixture) : PagesCloseAfterEachTest(fixture.Browser), IClassFixture<ArtifactFrameFixture>
{
    [Fact]
    public async Task TheTestPagePassesItsChecksWithItsOwnPolicies()
    {
        var page = await fixture.Browser.PageAsync(fixture.Server, fixture.Token);
        await page.GotoAsync("/static/hearth-storage-test.html");
        await Assertions.Expect(page.FrameLocator("#artifact").Locator("#log")).ToContainTextAsync("all checks passed", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task AnotherSiteCannotFrameTheTestPage()
    {
        var hearth = fixture.Server.Address.GetLeftPart(UriPartial.Authority);
        fixture.Elsewhere.Serve("/framing", $$"""
            <!DOCTYPE html><html><head><title>waiting</title></head><body>
            <iframe id="hearth" src="{{hearth}}/static/hearth-storage-test.html"></iframe>
            <script>document.getElementById('hearth').onload = function () { document.title = 'frame loaded'; };</script>
            </body></html>
            """);
        var page = await fixture.Browser.PageAsync(fixture.Server, fixture.Token);
        await page.GotoAsync(fixture.Elsewhere.Origin + "/framing");
        await Assertions.Expect(page).ToHaveTitleAsync("frame loaded", new() { Timeout = 15_000 });
        // Refused, the frame holds Chromium's error page instead of Hearth's page.
        Assert.DoesNotContain(page.Frames, f => f.Url.StartsWith(hearth, StringComparison.Ordinal));
    }
}
