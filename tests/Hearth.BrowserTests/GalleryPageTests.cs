using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>The gallery in a real browser: cards, filters, search, every preview kind, keys, the conversation link.</summary>
public sealed class GalleryPageTests(GalleryFixture fixture) : PagesCloseAfterEachTest(fixture.Browser), IClassFixture<GalleryFixture>
{
    private Task<IPage> PageAsync() => fixture.Browser.PageAsync(fixture.Server, fixture.Token);

    private static async Task<string[]> CardNamesAsync(IPage page) =>
        (await page.Locator("#grid .card .name").AllTextContentsAsync()).ToArray();

    private static async Task OpenAsync(IPage page, string name)
    {
        await page.Locator($"#grid .card[data-name='{name}']").ClickAsync();
        await Assertions.Expect(page.Locator("#preview")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#preview .preview-name")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#preview .preview-loading")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheGalleryShowsEveryArtifactNewestFirstWithItsFacts()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        Assert.Equal(GalleryFixture.NewestFirst, await CardNamesAsync(page));
        var chart = page.Locator("#grid .card[data-name='sales_chart.svg']");
        await Assertions.Expect(chart.Locator(".size")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? (B|KB)$"));
        await Assertions.Expect(chart.Locator(".conversation")).ToHaveTextAsync("Sales analysis 2024");
        Assert.False(string.IsNullOrWhiteSpace(await chart.Locator("time").TextContentAsync()));
        // Image cards show the image itself, loaded.
        Assert.True(await chart.Locator("img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await Assertions.Expect(page.Locator(".chip.active")).ToHaveTextAsync("All 10");
        await Assertions.Expect(page.Locator(".chip[data-type=images] .count")).ToHaveTextAsync("3");
        await BrowserSession.ScreenshotAsync(page, "gallery");
    }

    [Theory]
    [InlineData("images", new[] { "heatmap.png", "sales_chart.svg", "broken.png" })]
    [InlineData("html", new[] { "report.html" })]
    [InlineData("code", new[] { "summary.md", "analysis.py", "itinerary.md" })]
    [InlineData("files", new[] { "archive.zip", "data.csv", "paper.pdf" })]
    public async Task EachFilterShowsOnlyItsFiles(string type, string[] names)
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await page.Locator($".chip[data-type={type}]").ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/artifacts?type={type}");
        await Assertions.Expect(page.Locator(".chip.active")).ToHaveAttributeAsync("data-type", type);
        await Assertions.Expect(page.Locator("#grid .card .name")).ToHaveTextAsync(names);
    }

    [Fact]
    public async Task TheSearchBoxFindsByName()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await page.Locator(".search input[type=search]").FillAsync("SALES");
        await page.Locator(".search input[type=search]").PressAsync("Enter");
        await BrowserSession.ArrivesAtAsync(page, "**/artifacts?type=all&q=SALES");
        await Assertions.Expect(page.Locator(".chip[data-type=code] .count")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#grid .card .name")).ToHaveTextAsync(["sales_chart.svg"]);
    }

    [Fact]
    public async Task AnImagePreviewShowsTheImageAtFullResolution()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "heatmap.png");
        var image = page.Locator("#preview .preview-image img");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#preview .preview-image img').complete");
        Assert.Equal(480, await image.EvaluateAsync<int>("img => img.naturalWidth"));
        await Assertions.Expect(page.Locator("#preview .download")).ToHaveAttributeAsync("download", "heatmap.png");
    }

    [Fact]
    public async Task AnHtmlPreviewRunsItsScriptButCannotReachThePageItsCookiesOrTheApi()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "report.html");
        var frame = page.FrameLocator("#preview iframe.preview-html");
        await Assertions.Expect(frame.Locator("#ran")).ToHaveTextAsync("yes");
        await Assertions.Expect(frame.Locator("#parent")).ToHaveTextAsync("blocked");
        await Assertions.Expect(frame.Locator("#api")).ToHaveTextAsync("blocked");
        var cookie = await frame.Locator("#cookie").TextContentAsync();
        Assert.True(cookie is "blocked" or "read ", cookie);
        Assert.DoesNotContain(fixture.Token, cookie);
        Assert.Equal("allow-scripts allow-forms allow-modals", await page.Locator("#preview iframe").GetAttributeAsync("sandbox"));
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.hacked"));
        await BrowserSession.ScreenshotAsync(page, "preview-html");
    }

    [Fact]
    public async Task CodeIsHighlightedWithTheLanguageFromTheExtension()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "analysis.py");
        await Assertions.Expect(page.Locator("#preview pre.code")).ToHaveAttributeAsync("data-language", "python");
        await Assertions.Expect(page.Locator("#preview .tok-keyword", new() { HasTextString = "def" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#preview .tok-comment").First).ToContainTextAsync("# Bar chart");
        await Assertions.Expect(page.Locator("#preview .tok-string").First).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "preview-code");
    }

    [Fact]
    public async Task MarkdownIsRenderedAndItsRawHtmlIsNot()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "summary.md");
        var article = page.Locator("#preview .preview-markdown");
        await Assertions.Expect(article.Locator("h1")).ToHaveTextAsync("Sales summary");
        await Assertions.Expect(article.Locator("strong")).ToHaveTextAsync("18%");
        await Assertions.Expect(article.Locator("table td").First).ToHaveTextAsync("Jan");
        await Assertions.Expect(article.Locator("script")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.injected"));
        await BrowserSession.ScreenshotAsync(page, "preview-markdown");
    }

    [Fact]
    public async Task TextShowsAsTextAndABinaryOffersADownload()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "data.csv");
        await Assertions.Expect(page.Locator("#preview pre.preview-text")).ToContainTextAsync("Feb,150.5");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(page.Locator("#preview .preview-name")).ToHaveTextAsync("archive.zip");
        var prompt = page.Locator("#preview .download-prompt");
        await Assertions.Expect(prompt).ToContainTextAsync("cannot be previewed");
        var download = await page.RunAndWaitForDownloadAsync(() => prompt.Locator("a.button").ClickAsync());
        Assert.Equal("archive.zip", download.SuggestedFilename);
    }

    [Fact]
    public async Task ArrowKeysMoveBetweenArtifactsAndEscapeCloses()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await OpenAsync(page, "archive.zip");
        var name = page.Locator("#preview .preview-name");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(name).ToHaveTextAsync("data.csv");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(name).ToHaveTextAsync("summary.md");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(name).ToHaveTextAsync("data.csv");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(name).ToHaveTextAsync("archive.zip");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#preview")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#grid .card[data-name='archive.zip']")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task TheConversationLinkOpensTheConversationWithItsAttachments()
    {
        var page = await PageAsync();
        await page.GotoAsync("/artifacts");
        await page.Locator("#grid .card[data-name='report.html'] .conversation").ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/c/{fixture.SalesChat}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sales analysis 2024");
        var answer = page.Locator(".message.role-assistant");
        await Assertions.Expect(answer.Locator(".content")).ToHaveTextAsync("Here is the chart and the report.");
        Assert.Equal(["paper.pdf", "sales_chart.svg", "heatmap.png", "report.html"], await answer.Locator(".attachment-name").AllTextContentsAsync());
        await Assertions.Expect(page.Locator(".message.role-user strong")).ToHaveTextAsync("sales");
        var download = await page.RunAndWaitForDownloadAsync(() => answer.Locator(".attachment a", new() { HasTextString = "report.html" }).ClickAsync());
        Assert.Equal("report.html", download.SuggestedFilename);
        await BrowserSession.ScreenshotAsync(page, "conversation");
    }
}
