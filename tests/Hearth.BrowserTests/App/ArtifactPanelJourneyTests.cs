using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.ArtifactFiles;
using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, item 5 (the artifacts panel): HTML and SVG a reply writes open beside the chat when the reply ends (from
/// their Preview button on a phone), run in
/// a sandboxed frame whose window.storage keeps data for the viewer, step through the chat's versions (a rewrite keeps
/// the data), go full screen, open on their own, and reopen from a code block's Preview button after a reload.
/// </summary>
public sealed class ArtifactPanelJourneyTests : AppJourney
{
    /// <summary>A counter app that stores its count, tries to reach the page around it, and says which version it is.</summary>
    private static string Counter(string version) => $$"""
        Here is the counter ({{version}}):

        ```html
        <!doctype html><html><body><p id="out">loading</p><button id="add">Add</button><p id="reach"></p><script>
        let n = 0;
        const out = document.getElementById('out');
        const show = () => { out.textContent = '{{version}} count ' + n; };
        window.storage.get('count').then(got => { n = got ? got.value : 0; show(); });
        document.getElementById('add').onclick = async () => { n++; await window.storage.set('count', n); show(); };
        try { parent.document.title = 'pwned'; document.getElementById('reach').textContent = 'reached the app'; }
        catch (e) { document.getElementById('reach').textContent = 'sandboxed'; }
        </script></body></html>
        ```
        """;

    private const string Picture = """

        And a badge:

        ```svg
        <svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><circle cx="30" cy="30" r="25" fill="#ea580c"/></svg>
        ```
        """;

    /// <summary>
    /// A long chat draws its last 50 messages only; the panel's versions still come from the whole branch, so stepping
    /// back from the last version reaches the first, written 125 messages earlier and not drawn.
    /// </summary>
    [Fact]
    public async Task TheVersionsOfALongChatIncludeThoseInMessagesNotDrawnYet()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        const int length = 130;
        var messages = new JsonObject();
        for (var i = 0; i < length; i++)
        {
            var content = i switch { 1 => Counter("v1"), 127 => Counter("v2"), _ => $"Message {i}" };
            messages[$"m{i}"] = new JsonObject
            {
                ["id"] = $"m{i}", ["parentId"] = i == 0 ? null : $"m{i - 1}", ["childrenIds"] = i == length - 1 ? new JsonArray() : new JsonArray($"m{i + 1}"),
                ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = content, ["done"] = true,
            };
        }
        var chat = new JsonObject { ["chat"] = new JsonObject { ["title"] = "Counter saga", ["history"] = new JsonObject { ["currentId"] = $"m{length - 1}", ["messages"] = messages } } };
        (await client.PostAsJsonAsync("/api/v1/chats/import", new JsonObject { ["chats"] = new JsonArray(chat) })).EnsureSuccessStatusCode();
        var chatId = (await client.GetFromJsonAsync<JsonArray>("/api/v1/chats/"))!.Single()!["id"]!.GetValue<string>();
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        await page.GotoAsync($"/chat/{chatId}");
        await Assertions.Expect(page.Locator("#messages li[data-id='m127'] .open-artifact")).ToBeVisibleAsync();

        await page.Locator("#messages li[data-id='m127'] .open-artifact").ClickAsync();
        await Assertions.Expect(page.Locator("#artifact-position")).ToHaveTextAsync("2 / 2");
        var frame = page.FrameLocator("#artifact-frame").FrameLocator("iframe.artifact-frame");
        await Assertions.Expect(frame.Locator("#out")).ToHaveTextAsync("v2 count 0");
        await page.Locator("#artifact-previous").ClickAsync();
        await Assertions.Expect(page.Locator("#artifact-position")).ToHaveTextAsync("1 / 2");
        await Assertions.Expect(frame.Locator("#out")).ToHaveTextAsync("v1 count 0");
        Assert.EndsWith($"/c/{chatId}/artifacts/m1/0", await page.Locator("#artifact-frame").GetAttributeAsync("src"));
        // Shown in the panel, not drawn in the thread.
        await Assertions.Expect(page.Locator("#messages li[data-id='m1']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#artifact-previous")).ToBeDisabledAsync();
        // The counter asks for a count it has not stored yet: a 404 it expects.
        problems.AssertNone("/api/artifacts/get?key=artifact");
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task HtmlAndSvgInRepliesRunBesideTheChatWithStorageAndVersions(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");

        var panel = page.Locator("#artifact-panel");
        var position = page.Locator("#artifact-position");
        var app1 = page.FrameLocator("#artifact-frame").FrameLocator("iframe.artifact-frame");
        app.Model.Enqueue(new Script([Counter("v1")]));
        await AppSteps.SendAsync(page, "Make me a counter");
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        var chatId = page.Url.Split("/chat/")[1];

        // The reply ends and the panel opens on its app beside the chat (on a phone, where it would cover the chat, its
        // Preview button opens it); the app stores as Ada in the chat's reply space.
        if (AppSteps.IsPhone(page))
        {
            await AppSteps.ReplyEndsAsync(page);
            await Assertions.Expect(panel).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview this HTML beside the chat" }).ClickAsync();
        }
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(position).ToHaveTextAsync("1 / 1");
        await Assertions.Expect(app1.Locator("#out")).ToHaveTextAsync("v1 count 0");
        await Assertions.Expect(app1.Locator("#reach")).ToHaveTextAsync("sandboxed");
        await app1.Locator("#add").ClickAsync();
        await app1.Locator("#add").ClickAsync();
        await Assertions.Expect(app1.Locator("#out")).ToHaveTextAsync("v1 count 2");
        var key = Uri.EscapeDataString(ArtifactFileKeySpace.ForReplies(chatId) + "count");
        var stored = await client.GetFromJsonAsync<JsonObject>($"/api/artifacts/get?key={key}&scope=personal");
        Assert.Equal(2, stored!["value"]!.GetValue<int>());
        Assert.NotEqual("pwned", await page.TitleAsync());
        var content = page.Frames.Single(f => f.Url.EndsWith("/content", StringComparison.Ordinal));
        Assert.Equal("null", await content.EvaluateAsync<string>("window.origin"));
        if (AppSteps.IsPhone(page))
        {
            // On a phone the panel covers the chat, and closes to it.
            await Assertions.Expect(page.Locator("#artifact-close")).ToBeInViewportAsync();
            await page.Locator("#artifact-close").ClickAsync();
            await Assertions.Expect(panel).ToBeHiddenAsync();
        }
        await BrowserSession.ScreenshotAsync(page, $"app-artifact-panel-{width}");

        // A rewrite is a new version with the same data; the picture after it is a third, and the panel opens at it.
        app.Model.Enqueue(new Script([Counter("v2") + Picture]));
        await AppSteps.SendAsync(page, "Now with a badge");
        if (AppSteps.IsPhone(page))
        {
            await AppSteps.ReplyEndsAsync(page);
            await Assertions.Expect(panel).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview this SVG beside the chat" }).ClickAsync();
        }
        await Assertions.Expect(position).ToHaveTextAsync("3 / 3");
        await Assertions.Expect(app1.Locator("circle")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#artifact-next")).ToBeDisabledAsync();
        await page.Locator("#artifact-previous").ClickAsync();
        await Assertions.Expect(position).ToHaveTextAsync("2 / 3");
        await Assertions.Expect(app1.Locator("#out")).ToHaveTextAsync("v2 count 2");
        await page.Locator("#artifact-previous").ClickAsync();
        await Assertions.Expect(position).ToHaveTextAsync("1 / 3");
        await Assertions.Expect(page.Locator("#artifact-previous")).ToBeDisabledAsync();
        await Assertions.Expect(app1.Locator("#out")).ToHaveTextAsync("v1 count 2");

        // Full screen and back.
        var full = page.Locator("#artifact-full");
        await full.ClickAsync();
        await page.WaitForFunctionAsync("document.fullscreenElement && document.fullscreenElement.id === 'artifact-panel'");
        await Assertions.Expect(full).ToHaveAttributeAsync("aria-pressed", "true");
        await full.ClickAsync();
        await page.WaitForFunctionAsync("document.fullscreenElement === null");
        await Assertions.Expect(full).ToHaveAttributeAsync("aria-pressed", "false");

        // On its own, the app is Hearth's page around the same sandboxed frame, with the same data.
        var own = await page.Locator("#artifact-own").GetAttributeAsync("href");
        Assert.Matches($"^/c/{chatId}/artifacts/[^/]+/0$", own);
        var alone = await page.Context.NewPageAsync();
        await alone.GotoAsync(own!);
        await Assertions.Expect(alone.FrameLocator("iframe.artifact-frame").Locator("#out")).ToHaveTextAsync("v1 count 2");
        await alone.CloseAsync();

        // After a reload the panel is shut; a block's Preview button opens it at that block.
        await page.ReloadAsync();
        await Assertions.Expect(panel).ToBeHiddenAsync();
        var previews = page.GetByRole(AriaRole.Button, new() { Name = "Preview this HTML beside the chat" });
        await Assertions.Expect(previews).ToHaveCountAsync(2);
        await previews.Last.ClickAsync();
        await Assertions.Expect(position).ToHaveTextAsync("2 / 3");
        await Assertions.Expect(app1.Locator("#out")).ToHaveTextAsync("v2 count 2");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(panel).ToBeHiddenAsync();
        // The one failed load allowed is the first read of the count, which does not exist yet (window.storage's null).
        problems.AssertNone("/api/artifacts/get?key=artifact");
    }
}
