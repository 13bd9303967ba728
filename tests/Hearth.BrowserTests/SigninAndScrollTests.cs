using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>Signing in through the page, single-user mode, and the gallery loading more as the reader scrolls.</summary>
public sealed class SigninAndScrollTests : IAsyncLifetime
{
    private readonly BrowserSession _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task ABrowserWithoutASessionSignsInAndLandsWhereItWasGoing()
    {
        await using var server = GalleryServer.Start();
        var (client, _) = await server.SignUpAsync("Ada");
        var chat = await GalleryServer.CreateChatAsync(client, "Signed in");
        await GalleryServer.UploadAsync(client, chat, "welcome.txt", "hi");
        var page = await _browser.PageAsync(server);

        await page.GotoAsync($"/c/{chat}");
        await BrowserSession.ArrivesAtAsync(page, "**/signin?next=*");
        await page.Locator("input[name=email]").FillAsync("ada@example.com");
        await page.Locator("input[name=password]").FillAsync("wrong password");
        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".error")).ToContainTextAsync("incorrect");
        await BrowserSession.ScreenshotAsync(page, "signin");

        await page.Locator("input[name=password]").FillAsync("correct horse");
        await page.Locator("button[type=submit]").ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/c/{chat}");
        await Assertions.Expect(page.Locator(".attachment-name")).ToHaveTextAsync("welcome.txt");
        var cookies = await page.Context.CookiesAsync();
        Assert.True(cookies.Single(c => c.Name == "token").HttpOnly);

        await page.GotoAsync("/artifacts");
        await page.Locator("#signout").ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, "**/signin");
        await page.GotoAsync("/artifacts");
        await BrowserSession.ArrivesAtAsync(page, "**/signin?next=*");
    }

    [Fact]
    public async Task SingleUserModeSignsInWithoutCredentials()
    {
        await using var server = GalleryServer.Start(new Dictionary<string, string?> { ["WEBUI_AUTH"] = "false" });
        var page = await _browser.PageAsync(server);
        // As in Open WebUI 0.11, a request still needs the built-in admin's token: the sign-in page sends the empty
        // form that gets it by itself, so the reader never sees a sign-in step.
        await page.GotoAsync("/artifacts");
        await BrowserSession.ArrivesAtAsync(page, "**/artifacts");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Artifacts");
        await Assertions.Expect(page.Locator(".empty")).ToContainTextAsync("No artifacts yet");
    }

    [Fact]
    public async Task MoreCardsLoadAsTheReaderScrolls()
    {
        await using var server = GalleryServer.Start();
        var (client, token) = await server.SignUpAsync("Ada");
        var chat = await GalleryServer.CreateChatAsync(client, "Many files");
        for (var i = 0; i < 30; i++)
        {
            await GalleryServer.UploadAsync(client, chat, $"note-{i:D2}.txt", $"note {i}");
        }
        var page = await _browser.PageAsync(server, token);
        await page.GotoAsync("/artifacts");
        await Assertions.Expect(page.Locator("#grid .card")).ToHaveCountAsync(24);
        await page.Locator("#grid .card").Last.ScrollIntoViewIfNeededAsync();
        await page.Mouse.WheelAsync(0, 4000);
        await Assertions.Expect(page.Locator("#grid .card")).ToHaveCountAsync(30);
        await Assertions.Expect(page.Locator("#grid .card").Last.Locator(".name")).ToHaveTextAsync("note-00.txt");
        await Assertions.Expect(page.Locator("#more")).ToBeHiddenAsync();
        // Arrow keys continue past the first page too.
        await page.Locator("#grid .card").Nth(23).ClickAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("#preview .preview-name")).ToHaveTextAsync("note-05.txt");
    }

    [Fact]
    public async Task AnHtmlPreviewKeepsStateInArtifactStorageThroughWindowStorage()
    {
        await using var server = GalleryServer.Start();
        var (client, token) = await server.SignUpAsync("Ada");
        var chat = await GalleryServer.CreateChatAsync(client, "Counter app");
        await GalleryServer.UploadAsync(client, chat, "counter.html", """
            <!DOCTYPE html><html><head><title>Counter</title></head><body><p id="out">waiting</p><script>
              if (!window.storage) { document.getElementById('out').textContent = 'no storage'; }
              else {
                storage.set('gallery-counter', { n: 41 })
                  .then(function () { return storage.get('gallery-counter'); })
                  .then(function (got) { document.getElementById('out').textContent = 'stored ' + (got.value.n + 1); },
                        function (e) { document.getElementById('out').textContent = 'failed ' + e.message; });
              }
            </script></body></html>
            """);
        var page = await _browser.PageAsync(server, token);
        await page.GotoAsync("/artifacts");
        await page.Locator("#grid .card").First.ClickAsync();
        var output = page.FrameLocator("#preview iframe.preview-html").Locator("#out");
        // window.storage goes over postMessage to the gallery, which calls the artifact API with the viewer's session.
        await Assertions.Expect(output).ToHaveTextAsync("stored 42");
        // In the artifact's own key space, which the page (not the artifact) adds.
        var key = Uri.EscapeDataString(Hearth.Server.ArtifactFiles.ArtifactFileKeySpace.For(chat, "counter.html") + "gallery-counter");
        var stored = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"/api/artifacts/get?key={key}&scope=personal"))!;
        Assert.Equal(41, stored["value"]!["n"]!.GetValue<int>());
    }
}
