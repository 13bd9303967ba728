using System.Net.Http.Json;
using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, item 2 (math in replies): LaTeX in a reply ($...$, \(...\), $$...$$) is drawn as MathML by KaTeX, which
/// is loaded only once a reply has math; prices, code and emphasis stay what they were, a broken expression shows its
/// source with the error as its title, \href makes no link, and nothing breaks the page's CSP. A reload draws it again.
/// </summary>
public sealed class MathJourneyTests : AppJourney
{
    private const string Reply = """
        Euler: $e^{i\pi} + 1 = 0$ and \(a_1 * b_2 * c_3\) with *emphasis*.

        $$
        \int_0^1 x^2 \, dx = \frac{1}{3}
        $$

        It costs $5 and $10 in total.

        ```python
        price = "$x_1$"
        ```

        Broken: $\frac{1}{$ end. Link: $\href{javascript:alert(1)}{click}$.
        """;

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task MathInAReplyIsDrawnOnDemandWhilePricesCodeAndBrokenExpressionsStayText(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (ada, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        // A refused style attribute or font would be a CSP violation: each one is reported as a console error.
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
            """);
        var katexLoads = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/vendor/katex/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref katexLoads);
            }
        };
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeEditableAsync();
        Assert.Equal(0, Volatile.Read(ref katexLoads));

        var half = Reply.IndexOf("It costs", StringComparison.Ordinal);
        app.Model.Enqueue(new Script([Reply[..half], Reply[half..]]));
        await AppSteps.SendAsync(page, "Some math, please");
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await AppSteps.ReplyEndsAsync(page);
        await AssertDrawnAsync(page);
        Assert.True(Volatile.Read(ref katexLoads) > 0);
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-math-{width}");

        await page.ReloadAsync();
        await AssertDrawnAsync(page);

        // The conversation's own page and its share link's page, drawn by the server's Markdown, show the same math.
        var chatId = page.Url.Split('/')[^1];
        var shared = (await (await ada.PostAsync($"/api/v1/chats/{chatId}/share", null)).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["share_id"]!.GetValue<string>();
        foreach (var address in new[] { $"/c/{chatId}", $"/s/{shared}" })
        {
            await page.GotoAsync(address);
            await AssertDrawnAsync(page, page.Locator(".messages li.role-assistant .content").Last);
        }
        await BrowserSession.ScreenshotAsync(page, $"shared-math-{width}");
        problems.AssertNone();
    }

    [Fact]
    public async Task AConversationPageWithoutMathLoadsNoMathScript()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (ada, token) = await app.Hearth.SignUpAsync("Ada");
        var chat = await GalleryServer.CreateChatAsync(ada, "Prices", "What does it cost?", "It costs $5 and $10 in total.");
        var page = await Browser.PageAsync(app.Hearth, token);
        var scripts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/assets/app/", StringComparison.Ordinal))
            {
                lock (scripts)
                {
                    scripts.Add(request.Url);
                }
            }
        };
        await page.GotoAsync($"/c/{chat}");
        await Assertions.Expect(page.Locator(".messages li.role-assistant .content")).ToHaveTextAsync("It costs $5 and $10 in total.");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (scripts)
        {
            Assert.Empty(scripts);
        }
    }

    private static async Task AssertDrawnAsync(IPage page, ILocator? reply = null)
    {
        var content = reply ?? AppSteps.LastReply(page).Locator(".content");
        // Inline, \(...\), display and the \href one are MathML; the broken one is its source, with the error as title.
        await Assertions.Expect(content.Locator(".math-tex.math-drawn")).ToHaveCountAsync(5);
        await Assertions.Expect(content.Locator(".math-tex math")).ToHaveCountAsync(4);
        await Assertions.Expect(content.Locator("div.math-display math[display='block']")).ToHaveCountAsync(1);
        await Assertions.Expect(content.Locator("math msubsup, math msub").First).ToBeAttachedAsync();
        await Assertions.Expect(content.Locator("math mfrac")).ToHaveCountAsync(1);
        // The underscores and asterisks inside \(...\) were not taken as emphasis; the one outside was.
        await Assertions.Expect(content.Locator("em")).ToHaveTextAsync(["emphasis"]);
        var error = content.Locator(".katex-error");
        await Assertions.Expect(error).ToHaveTextAsync(@"\frac{1}{");
        await Assertions.Expect(error).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^KaTeX parse error"));
        // Prices and code stay literal.
        await Assertions.Expect(content.Locator("p", new() { HasText = "costs" })).ToHaveTextAsync("It costs $5 and $10 in total.");
        await Assertions.Expect(content.Locator("pre code")).ToHaveTextAsync("price = \"$x_1$\"");
        await Assertions.Expect(content.Locator("pre .math-tex")).ToHaveCountAsync(0);
        // \href is drawn as its name: no link, no href anywhere, no style attribute.
        await Assertions.Expect(content.Locator("a, [href], [style]")).ToHaveCountAsync(0);
        await Assertions.Expect(content.Locator("annotation")).ToHaveCountAsync(0);
        // Nothing is wider than the thread (or the page, for the server-drawn ones).
        Assert.True(await page.EvaluateAsync<bool>("() => { const t = document.getElementById('thread') ?? document.documentElement; return t.scrollWidth <= t.clientWidth; }"));
    }
}
