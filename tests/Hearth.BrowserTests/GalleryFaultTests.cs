using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>
/// Issue 14, item 8: the gallery's reported faults, each at 1280×800 and 390×844. The preview's bar on a phone, the
/// conversation page's long lines, first lines on text cards, PDFs, broken images, a preview's own address, and the
/// keys after a click inside an HTML preview.
/// </summary>
public sealed class GalleryFaultTests(GalleryFixture fixture) : PagesCloseAfterEachTest(fixture.Browser), IClassFixture<GalleryFixture>
{
    private Task<IPage> PageAsync(int width, int height) => fixture.Browser.PageAsync(fixture.Server, fixture.Token, width, height);

    private static ILocator Card(IPage page, string name) => page.Locator($"#grid .card[data-name='{name}']");

    private static async Task OpenAsync(IPage page, string name)
    {
        await Card(page, name).ClickAsync();
        await Assertions.Expect(page.Locator("#preview .preview-name")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#preview .preview-loading")).ToHaveCountAsync(0);
    }

    private static async Task<bool> OnScreenAsync(IPage page, ILocator element, int width)
    {
        var box = await element.BoundingBoxAsync();
        return box is not null && box.X >= 0 && box.X + box.Width <= width + 0.5 && box.Width > 0;
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ThePreviewKeepsItsNameAndCloseButtonOnScreen(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "sales_chart.svg");
        var close = page.Locator("#preview .close");
        var name = page.Locator("#preview .preview-name");
        Assert.True(await OnScreenAsync(page, close, width), "the close button is off-screen");
        Assert.True(await OnScreenAsync(page, name, width), "the name is off-screen");
        Assert.True((await name.BoundingBoxAsync())!.Width >= 40, "the name is squeezed out of sight");
        Assert.True(await OnScreenAsync(page, page.Locator("#preview .download"), width), "the download button is off-screen");
        await BrowserSession.ScreenshotAsync(page, $"gallery-preview-{width}");
        await close.ClickAsync();
        await Assertions.Expect(page.Locator("#preview")).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task TheConversationPageWrapsOrScrollsLongLinesInsideTheirMessage(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync($"/c/{fixture.LongChat}");
        var answer = page.Locator(".message.role-assistant");
        await Assertions.Expect(answer.Locator(".content")).ToContainTextAsync("The end of the answer.");
        var list = (await page.Locator("ol.messages").BoundingBoxAsync())!;
        foreach (var message in await page.Locator(".message").AllAsync())
        {
            var box = (await message.BoundingBoxAsync())!;
            Assert.True(box.X + box.Width <= Math.Min(width, list.X + list.Width) + 0.5,
                $"a message reaches {box.X + box.Width} px, past the page ({width} px) or its column");
        }
        // The page itself never scrolls sideways; the code block and the table scroll inside the message.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        Assert.True(await answer.Locator(".content").EvaluateAsync<bool>("c => c.scrollWidth <= c.clientWidth + 1"), "the message's text is clipped");
        await BrowserSession.ScreenshotAsync(page, $"conversation-long-{width}");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task TextCodeAndHtmlCardsShowTheirFirstLines(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync("/artifacts");
        await Assertions.Expect(Card(page, "analysis.py").Locator(".snippet")).ToContainTextAsync("import matplotlib.pyplot as plt");
        await Assertions.Expect(Card(page, "summary.md").Locator(".snippet")).ToContainTextAsync("# Sales summary");
        await Assertions.Expect(Card(page, "data.csv").Locator(".snippet")).ToContainTextAsync("Feb,150.5");
        // The HTML card shows its source as text: markup in it is never markup of the gallery.
        await Assertions.Expect(Card(page, "report.html").Locator(".snippet")).ToContainTextAsync("<title>Quarterly report</title>");
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.hacked"));
        await Assertions.Expect(Card(page, "report.html").Locator(".badge")).ToHaveTextAsync("HTML");
        // A binary keeps its badge.
        await Assertions.Expect(Card(page, "archive.zip").Locator(".snippet")).ToHaveCountAsync(0);
        await Assertions.Expect(Card(page, "archive.zip").Locator(".badge")).ToHaveTextAsync("ZIP");
        await BrowserSession.ScreenshotAsync(page, $"gallery-cards-{width}");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task APdfIsShownInTheBrowsersViewerSandboxedByItsAnswer(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync("/artifacts");
        await Card(page, "paper.pdf").ScrollIntoViewIfNeededAsync();
        await OpenAsync(page, "paper.pdf");
        await Assertions.Expect(page.Locator("#preview .download-prompt")).ToHaveCountAsync(0);
        var frame = page.Locator("#preview iframe.preview-pdf");
        await Assertions.Expect(frame).ToBeVisibleAsync();
        var document = await (await frame.ElementHandleAsync()).ContentFrameAsync();
        await document!.WaitForFunctionAsync("() => document.contentType === 'application/pdf'");
        // Chromium's viewer opens inside it (not the sad page of a frame that may not show a PDF).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!document.ChildFrames.Any(f => f.Url.StartsWith("chrome-extension://", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the PDF viewer did not open in the frame");
            await page.WaitForTimeoutAsync(100);
        }
        // Its answer is the file itself, sandboxed (a unique origin, nothing of Hearth's to reach), as every artifact is.
        var policy = await page.EvaluateAsync<string>(
            "src => fetch(src, { credentials: 'same-origin' }).then(r => r.headers.get('content-type') + ' | ' + r.headers.get('content-security-policy'))",
            await frame.GetAttributeAsync("src"));
        Assert.StartsWith("application/pdf | sandbox", policy);
        await BrowserSession.ScreenshotAsync(page, $"preview-pdf-{width}");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ABrokenImageShowsItsBadgeNotTheBrokenImageIcon(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync("/artifacts");
        var card = Card(page, "broken.png");
        await card.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(card.Locator(".thumb .badge.broken")).ToHaveTextAsync("PNG");
        await Assertions.Expect(card.Locator(".thumb img")).ToHaveCountAsync(0);
        // Good images still show.
        Assert.True(await Card(page, "heatmap.png").Locator("img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await OpenAsync(page, "broken.png");
        await Assertions.Expect(page.Locator("#preview .preview-image .badge.broken")).ToHaveTextAsync("This image could not be shown.");
        await Assertions.Expect(page.Locator("#preview .preview-image img")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, $"preview-broken-{width}");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task APreviewHasItsOwnAddressSoBackClosesItAndALinkOpensIt(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync("/artifacts?type=code");
        var dialog = page.Locator("#preview");
        await OpenAsync(page, "analysis.py");
        var key = await Card(page, "analysis.py").GetAttributeAsync("data-key");
        await BrowserSession.ArrivesAtAsync(page, "**/artifacts?type=code&open=" + Uri.EscapeDataString(key!));
        // Stepping replaces the address: Back still closes the preview, it does not walk back through the files.
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(dialog.Locator(".preview-name")).ToHaveTextAsync("summary.md");
        var stepped = await Card(page, "summary.md").GetAttributeAsync("data-key");
        await BrowserSession.ArrivesAtAsync(page, "**/artifacts?type=code&open=" + Uri.EscapeDataString(stepped!));
        var link = page.Url;
        await page.GoBackAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.EndsWith("/artifacts?type=code", page.Url);
        await page.GoForwardAsync();
        await Assertions.Expect(dialog.Locator(".preview-name")).ToHaveTextAsync("summary.md");

        // The address opened in a new tab shows the preview at once, and Escape leaves the gallery behind it.
        var other = await PageAsync(width, height);
        await other.GotoAsync(link);
        await Assertions.Expect(other.Locator("#preview")).ToBeVisibleAsync();
        await Assertions.Expect(other.Locator("#preview .preview-name")).ToHaveTextAsync("summary.md");
        await Assertions.Expect(other.Locator("#preview .preview-markdown h1")).ToHaveTextAsync("Sales summary");
        await other.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(other.Locator("#preview .preview-name")).ToHaveTextAsync("analysis.py");
        await other.Keyboard.PressAsync("Escape");
        await Assertions.Expect(other.Locator("#preview")).ToBeHiddenAsync();
        Assert.EndsWith("/artifacts?type=code", other.Url);
        await Assertions.Expect(Card(other, "analysis.py")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task EscapeAndTheArrowKeysStillWorkAfterAClickInsideAnHtmlPreview(int width, int height)
    {
        var page = await PageAsync(width, height);
        await page.GotoAsync("/artifacts");
        var name = page.Locator("#preview .preview-name");
        await OpenAsync(page, "report.html");
        var inside = page.FrameLocator("#preview iframe.preview-html");
        await Assertions.Expect(inside.Locator("#ran")).ToHaveTextAsync("yes");
        await inside.Locator("h1").ClickAsync();
        await PressRemovingTheFrameAsync(page, "ArrowLeft");
        await Assertions.Expect(name).ToHaveTextAsync("analysis.py");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(name).ToHaveTextAsync("report.html");
        await Assertions.Expect(inside.Locator("#ran")).ToHaveTextAsync("yes");
        await inside.Locator("h1").ClickAsync();
        await PressRemovingTheFrameAsync(page, "Escape");
        await Assertions.Expect(page.Locator("#preview")).ToBeHiddenAsync();
    }

    /// <summary>
    /// A key pressed inside a preview's frame that the key itself removes (the gallery moves on or closes). Playwright waits
    /// for Chromium to confirm each key event, and Chromium at times never confirms the key's release sent to a frame that is
    /// gone: the press then waited for ever (a CI run hung here). The page's answer, asserted next, is what the test is about.
    /// </summary>
    private static async Task PressRemovingTheFrameAsync(IPage page, string key)
    {
        try
        {
            await page.Keyboard.PressAsync(key).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Unconfirmed: the assertion that follows says whether the page acted on it.
        }
    }
}
