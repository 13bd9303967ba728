using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Hearth.Server.ArtifactFiles;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>
/// A hostile HTML artifact in Chromium, shown in the gallery's preview, opened on its own (cookie) and
/// through a signed URL: it reaches only its own key space and sends nothing to another site, while a
/// Claude-style app still gets forms, dialogs and storage.
/// </summary>
public sealed class ArtifactFrameTests : PagesCloseAfterEachTest, IClassFixture<ArtifactFrameFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly ArtifactFrameFixture _fixture;

    public ArtifactFrameTests(ArtifactFrameFixture fixture)
        : base(fixture.Browser)
    {
        _fixture = fixture;
        // What the other site received counts for this test only.
        fixture.Elsewhere.Requests.Clear();
    }

    /// <summary>Opens the artifact as <paramref name="mode"/> says and returns its frame.</summary>
    private async Task<(IPage Page, IFrameLocator Frame)> OpenAsync(string mode, string name)
    {
        var page = await _fixture.Browser.PageAsync(_fixture.Server, mode == "signed" ? null : _fixture.Token);
        switch (mode)
        {
            case "gallery":
                await page.GotoAsync("/artifacts");
                await page.Locator($"#grid .card[data-name='{name}']").ClickAsync();
                await Assertions.Expect(page.Locator("#preview .preview-name")).ToHaveTextAsync(name);
                return (page, page.FrameLocator("#preview iframe.preview-html"));
            case "direct":
                await page.GotoAsync(_fixture.Url(name) + "?inline=true");
                return (page, page.FrameLocator("iframe.artifact-frame"));
            default:
                await page.GotoAsync(await _fixture.SignedUrlAsync(name) + "&inline=true");
                return (page, page.FrameLocator("iframe.artifact-frame"));
        }
    }

    private async Task<JsonNode?> PersonalAsync(string key)
    {
        using var response = await _fixture.Ada.GetAsync($"/api/artifacts/get?scope=personal&key={Uri.EscapeDataString(key)}");
        // A missing key answers 404; any other failure is not "missing" (a test asserting absence would pass for it).
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnArtifactReachesOnlyItsOwnKeySpace()
    {
        var (_, frame) = await OpenAsync("gallery", "snoop.html");
        await Assertions.Expect(frame.Locator("#out")).ToHaveTextAsync(
            "get null\nshared get null\nlist []\nshared list []\ndelete false\nlist after [\"mine\",\"notes-app/secret\"]", new() { Timeout = 15_000 });

        // The other app's values are untouched; the artifact's writes landed in its own space.
        var secret = await PersonalAsync("notes-app/secret");
        Assert.Equal("s3cret", secret!["value"]!.GetValue<string>());
        Assert.Equal(1, secret["version"]!.GetValue<int>());
        var team = JsonNode.Parse(await _fixture.Ada.GetStringAsync("/api/artifacts/get?scope=shared&key=notes-app/team"))!;
        Assert.Equal("team plan", team["value"]!.GetValue<string>());
        var space = ArtifactFileKeySpace.For(_fixture.Chat, "snoop.html");
        Assert.Equal("overwritten", (await PersonalAsync(space + "notes-app/secret"))!["value"]!.GetValue<string>());
        Assert.Equal(1, (await PersonalAsync(space + "mine"))!["value"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("gallery")]
    [InlineData("direct")]
    [InlineData("signed")]
    public async Task AnArtifactCannotSendAnythingToAnotherSite(string mode)
    {
        var (page, frame) = await OpenAsync(mode, "exfiltrate.html");
        await Assertions.Expect(frame.Locator("#out")).ToHaveTextAsync(
            "fetch failed\ntop blocked\npopup blocked\nrefused connect-src,connect-src,img-src", new() { Timeout = 15_000 });
        Assert.StartsWith(_fixture.Server.Address.GetLeftPart(UriPartial.Authority), page.Url);
        Assert.Single(page.Context.Pages);
        // Every attempt was refused in the browser (the violations above), so nothing can still be on its way.
        Assert.Empty(_fixture.Elsewhere.Received());
    }

    [Theory]
    [InlineData("gallery", "#link")]
    [InlineData("gallery", "#leave")]
    [InlineData("gallery", "#post")]
    [InlineData("direct", "#link")]
    [InlineData("direct", "#leave")]
    [InlineData("direct", "#post")]
    [InlineData("signed", "#leave")]
    public async Task AnArtifactCannotTakeTheViewerToAnotherSite(string mode, string control)
    {
        var (page, frame) = await OpenAsync(mode, "exfiltrate.html");
        await Assertions.Expect(frame.Locator("#out")).Not.ToHaveTextAsync("running", new() { Timeout = 15_000 });
        await frame.Locator(control).ClickAsync();
        // Refused, the frame shows Chromium's error page, or its document reports a form-action violation;
        // let through, the window or frame reaches the other site (which then has a request).
        await WaitUntilAsync(async () => page.Frames.Any(f => f.Url.StartsWith("chrome-error:", StringComparison.Ordinal))
            || page.Url.StartsWith(_fixture.Elsewhere.Origin, StringComparison.Ordinal)
            || _fixture.Elsewhere.Received().Length > 0
            || await FormPostRefusedAsync(page));
        Assert.StartsWith(_fixture.Server.Address.GetLeftPart(UriPartial.Authority), page.Url);
        Assert.Empty(_fixture.Elsewhere.Received());
    }

    private static async Task<bool> FormPostRefusedAsync(IPage page)
    {
        foreach (var frame in page.Frames.Where(f => f.ParentFrame is not null))
        {
            try
            {
                if (await frame.EvaluateAsync<bool>("() => !!window.hearthTestFormRefused"))
                {
                    return true;
                }
            }
            catch (PlaywrightException)
            {
                // The frame is navigating or gone.
            }
        }
        return false;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Neither refused nor let through in time.");
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("gallery")]
    [InlineData("direct")]
    public async Task AClaudeStyleFormAppAsksConfirmsAndSavesThroughWindowStorage(string mode)
    {
        var name = $"journal-{mode}.html";
        var (page, frame) = await OpenAsync(mode, name);
        var dialogs = new ConcurrentQueue<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Enqueue(dialog.Type + ": " + dialog.Message);
            await dialog.AcceptAsync(dialog.Type == DialogType.Prompt ? "happy" : null);
        };
        await Assertions.Expect(frame.Locator("#status")).ToHaveTextAsync("ready", new() { Timeout = 15_000 });
        await frame.Locator("#text").FillAsync("Dear diary");
        await frame.Locator("#save").ClickAsync();
        await Assertions.Expect(frame.Locator("#status")).ToHaveTextAsync("saved");
        Assert.Equal(["confirm: Save this entry?", "prompt: How do you feel?", "alert: Saved"], dialogs);
        Assert.StartsWith(_fixture.Server.Address.GetLeftPart(UriPartial.Authority), page.Url);

        // Reopened, the app reads back what it saved: in its own key space, as the viewer.
        var (_, again) = await OpenAsync(mode, name);
        await Assertions.Expect(again.Locator("#status")).ToHaveTextAsync("ready", new() { Timeout = 15_000 });
        await Assertions.Expect(again.Locator("#entries li")).ToHaveTextAsync(["Dear diary (happy)"]);
        var stored = await PersonalAsync(ArtifactFileKeySpace.For(_fixture.Chat, name) + "entries");
        Assert.Equal("happy", stored!["value"]![0]!["mood"]!.GetValue<string>());
        Assert.Null(await PersonalAsync("entries"));
    }

    [Fact]
    public async Task ANewVersionOfAnArtifactKeepsItsDataAndTheSameNameElsewhereDoesNot()
    {
        const string counter = """
            <!DOCTYPE html><html><body><p id="n">?</p><script>
            storage.get('n').then(function (got) { var n = (got ? got.value : 0) + 1; return storage.set('n', n).then(function () {
              document.getElementById('n').textContent = 'VERSION ' + n; }); });
            </script></body></html>
            """;
        async Task<string> CountAsync(string url)
        {
            var page = await _fixture.Browser.PageAsync(_fixture.Server, _fixture.Token);
            await page.GotoAsync(url + "?inline=true");
            var shown = page.FrameLocator("iframe.artifact-frame").Locator("#n");
            await Assertions.Expect(shown).Not.ToHaveTextAsync("?", new() { Timeout = 15_000 });
            return (await shown.TextContentAsync())!;
        }
        Assert.Equal("v1 1", await CountAsync(await _fixture.UploadAsync(_fixture.Chat, "counter.html", counter.Replace("VERSION", "v1"))));
        Assert.Equal("v2 2", await CountAsync(await _fixture.UploadAsync(_fixture.Chat, "counter.html", counter.Replace("VERSION", "v2"))));
        Assert.Equal("v1 1", await CountAsync(await _fixture.UploadAsync(_fixture.Chat, "Counter.html", counter.Replace("VERSION", "v1"))));
        Assert.Equal("v1 1", await CountAsync(await _fixture.UploadAsync(_fixture.OtherChat, "counter.html", counter.Replace("VERSION", "v1"))));
    }
}
