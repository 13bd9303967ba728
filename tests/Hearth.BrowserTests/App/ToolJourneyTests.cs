using System.Text.Json.Nodes;
using Hearth.Tests.Completions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// Issue 14, item 4 (tools and files): tools are chosen per chat from what the user may use, sent with each completion
/// and kept with the chat; the reply shows each tool call as a collapsed step with its arguments and result as text, and
/// the files the tools made as cards under it (an image as its thumbnail) that open the gallery's preview; a reload
/// draws all of it from the stored message. Open WebUI's tool-call blocks inside a reply's text are steps too.
/// </summary>
public sealed class ToolJourneyTests : AppJourney
{
    private const string ChartCode = """
        svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#ea580c"/></svg>'
        with open('chart.svg', 'w') as f:
            f.write(svg)
        print('drew the chart')
        """;

    private static JsonObject Call(string id, string tool, JsonObject arguments) => new()
    {
        ["id"] = id, ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments.ToJsonString() },
    };

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ToolsChosenForAChatShowTheirStepsAndFilesLiveAndAfterAReload(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");

        // The menu lists what Ada (an admin) may use; she turns two tools on for this chat.
        var tools = page.Locator("#tools-menu summary");
        await tools.ClickAsync();
        var python = page.GetByRole(AriaRole.Checkbox, new() { Name = "python_exec", Exact = true });
        var template = page.GetByRole(AriaRole.Checkbox, new() { Name = "template_render", Exact = true });
        await Assertions.Expect(page.Locator("#tool-choices input")).ToHaveCountAsync(2);
        await python.CheckAsync();
        await template.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(template).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#tools-menu")).Not.ToHaveAttributeAsync("open", "");
        await Assertions.Expect(tools).ToBeFocusedAsync();
        await Assertions.Expect(tools).ToHaveTextAsync("Tools (2)");

        // The model draws a chart with python_exec, renders a report with template_render, then answers.
        app.Model.Enqueue(
            new Script([], ToolCall: Call("call_chart", "python_exec", new JsonObject { ["code"] = ChartCode })),
            new Script([], ToolCall: Call("call_report", "template_render", new JsonObject
            {
                ["template"] = "<h1>{{title}}</h1><p>{{note}}</p>", ["data"] = new JsonObject { ["title"] = "Q3", ["note"] = "fine" }, ["name"] = "summary",
            })),
            new Script(["Here are your **chart** and report."]));
        await AppSteps.SendAsync(page, "Chart and report, please");
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await AppSteps.ReplyEndsAsync(page);
        var reply = AppSteps.LastReply(page);
        await Assertions.Expect(reply.Locator(".content")).ToHaveTextAsync("Here are your chart and report.");

        // Each call is a collapsed step, in the order they ran.
        var steps = reply.Locator(".tool-steps details.tool-step");
        await Assertions.Expect(steps.Locator(".step-name")).ToHaveTextAsync(["python_exec", "template_render"]);
        await Assertions.Expect(steps.First.Locator(".step-summary")).ToHaveTextAsync("drew the chart · 1 file");
        await Assertions.Expect(steps.Nth(1).Locator(".step-summary")).ToContainTextAsync("Rendered summary.html");
        await Assertions.Expect(reply.Locator("details.tool-step[open]")).ToHaveCountAsync(0);
        await Assertions.Expect(steps.First.Locator(".step-body")).ToBeHiddenAsync();

        // The files the tools made are cards under the message: the chart as its own thumbnail, the report as a badge.
        var cards = reply.Locator(".file-cards > li");
        await Assertions.Expect(cards.Locator(".file-name")).ToHaveTextAsync(["chart.svg", "summary.html"]);
        // Thumbnails load lazily: the card is scrolled to first, as a reader would.
        await cards.First.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(cards.First.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 120);
        await Assertions.Expect(cards.Nth(1).Locator(".badge")).ToHaveTextAsync("HTML");
        await Assertions.Expect(cards.First.Locator(".file-size")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ B$"));
        var chatId = page.Url.Split('/').Last();
        var stored = JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{chatId}"))!["chat"]!;
        var replyId = stored["history"]!["currentId"]!.GetValue<string>();
        var files = stored["history"]!["messages"]![replyId]!["files"]!.AsArray();
        var chart = files.Single(f => f!["name"]!.GetValue<string>() == "chart.svg")!;
        var download = page.GetByRole(AriaRole.Link, new() { Name = "Download chart.svg", Exact = true });
        await Assertions.Expect(download).ToHaveAttributeAsync("href", chart["url"]!.GetValue<string>());

        // The HTML report runs in the artifacts panel: beside the chat as soon as the reply ends on a wide screen, from
        // its card's Open button on a phone (where the panel covers the chat).
        var panel = page.Locator("#artifact-panel");
        if (AppSteps.IsPhone(page))
        {
            await Assertions.Expect(panel).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Open summary.html beside the chat", Exact = true }).ClickAsync();
        }
        await Assertions.Expect(page.Locator("#artifact-position")).ToHaveTextAsync("1 / 1");
        await Assertions.Expect(page.FrameLocator("#artifact-frame").FrameLocator("iframe.artifact-frame").Locator("h1")).ToHaveTextAsync("Q3");
        await page.Locator("#artifact-close").ClickAsync();
        await Assertions.Expect(panel).ToBeHiddenAsync();
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-tools-{width}");

        // Opened, a step shows the arguments and the result as text: the template's markup is not made into HTML.
        await steps.First.Locator("summary").ClickAsync();
        await Assertions.Expect(steps.First.Locator(".step-arguments dt")).ToHaveTextAsync(["code"]);
        await Assertions.Expect(steps.First.Locator(".step-arguments code")).ToContainTextAsync("open('chart.svg', 'w')");
        await Assertions.Expect(steps.First.Locator(".step-body > pre")).ToHaveTextAsync("drew the chart");
        await steps.Nth(1).Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(steps.Nth(1)).ToHaveAttributeAsync("open", "");
        await Assertions.Expect(steps.Nth(1).Locator(".step-arguments dt")).ToHaveTextAsync(["template", "data", "name"]);
        await Assertions.Expect(steps.Nth(1).Locator(".step-arguments code").First).ToHaveTextAsync("<h1>{{title}}</h1><p>{{note}}</p>");
        await Assertions.Expect(reply.Locator(".tool-steps h1")).ToHaveCountAsync(0);
        // Nothing in an opened step is wider than the thread: long lines wrap, a long summary is cut short.
        Assert.True(await page.EvaluateAsync<bool>("() => { const t = document.getElementById('thread'); return t.scrollWidth <= t.clientWidth; }"));
        await BrowserSession.ScreenshotAsync(page, $"app-tools-steps-{width}");

        // The completion was sent with the chosen tools, and the choice is kept in the chat's document.
        Assert.Equal(["python_exec", "template_render"],
            app.Model.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).Order());
        Assert.Equal(["python_exec", "template_render"], stored["tool_ids"]!.AsArray().Select(t => t!.GetValue<string>()).Order());

        // The card's preview link opens the gallery with the file's preview.
        await page.GetByRole(AriaRole.Link, new() { Name = "Preview chart.svg", Exact = true }).ClickAsync();
        await BrowserSession.ArrivesAtAsync(page, "**/artifacts?open=*");
        await Assertions.Expect(page.Locator("#preview")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#preview-name")).ToHaveTextAsync("chart.svg");
        Assert.Equal($"{chatId}/{chart["id"]!.GetValue<string>()}", await page.Locator("#preview").GetAttributeAsync("data-key"));

        // Back in the chat and reloaded: the steps, the cards and the chat's tools are drawn from what is stored.
        await page.GoBackAsync();
        await BrowserSession.ArrivesAtAsync(page, $"**/chat/{chatId}");
        await page.ReloadAsync();
        reply = AppSteps.LastReply(page);
        await Assertions.Expect(reply.Locator(".tool-steps .step-name")).ToHaveTextAsync(["python_exec", "template_render"]);
        await Assertions.Expect(reply.Locator("details.tool-step[open]")).ToHaveCountAsync(0);
        await Assertions.Expect(reply.Locator(".file-cards .file-name")).ToHaveTextAsync(["chart.svg", "summary.html"]);
        await reply.Locator(".file-cards img").ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(reply.Locator(".file-cards img")).ToHaveJSPropertyAsync("naturalWidth", 120);
        await Assertions.Expect(tools).ToHaveTextAsync("Tools (2)");

        // Turning a tool off is saved with the chat, and the next completion is sent without it.
        await tools.ClickAsync();
        await Assertions.Expect(template).ToBeCheckedAsync();
        await template.UncheckAsync();
        await Assertions.Expect(tools).ToHaveTextAsync("Tools (1)");
        await page.Keyboard.PressAsync("Escape");
        await WaitForAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{chatId}"))!["chat"]!["tool_ids"]!
            .AsArray().Select(t => t!.GetValue<string>()).SequenceEqual(["python_exec"]));
        app.Model.Enqueue(new Script(["No tools needed."]));
        await AppSteps.SendAsync(page, "Thanks");
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".content")).ToHaveTextAsync("No tools needed.");
        await AppSteps.ReplyEndsAsync(page);
        Assert.Equal(["python_exec"], app.Model.Requests.Last()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()));
        problems.AssertNone();

        // A user without features.code_interpreter is not offered python_exec.
        var (_, bobToken, _) = await app.Hearth.AddUserAsync(client, "Bob");
        var bob = await Browser.PageAsync(app.Hearth, bobToken, width, height);
        var bobProblems = new PageProblems(bob);
        await bob.GotoAsync("/");
        await bob.Locator("#tools-menu summary").ClickAsync();
        await Assertions.Expect(bob.Locator("#tool-choices .tool-name")).ToHaveTextAsync(["template_render"]);
        bobProblems.AssertNone();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task OpenWebUiToolBlocksInAReplyAreStepsWhoseContentStaysText(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        // Open WebUI's shape: attribute values are HTML-escaped JSON; this block's arguments hold markup that must stay text.
        const string Block = "<details type=\"tool_calls\" done=\"true\" id=\"call_1\" name=\"web_search\" " +
            "arguments=\"&quot;{\\&quot;query\\&quot;: \\&quot;&lt;img src=x onerror=document.title=1&gt;\\&quot;}&quot;\" " +
            "result=\"&quot;3 results&quot;\" files=\"\" embeds=\"\">\n<summary>Tool Executed</summary>\n</details>\n";
        var chatId = await GalleryServer.CreateChatAsync(client, "Imported", "Search, please", "Let me look.\n\n" + Block + "Found **three**.");
        await GalleryServer.UploadAsync(client, chatId, "data.csv", "month,total\nJan,120\n", "a0");
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync($"/chat/{chatId}");

        var reply = AppSteps.LastReply(page);
        var content = reply.Locator(".content");
        await Assertions.Expect(content.Locator(":scope > p")).ToHaveTextAsync(["Let me look.", "Found three."]);
        var step = content.Locator("details.tool-step");
        await Assertions.Expect(step.Locator("summary")).ToHaveTextAsync("web_search 3 results");
        await step.Locator("summary").ClickAsync();
        await Assertions.Expect(step.Locator(".step-arguments dt")).ToHaveTextAsync(["query"]);
        await Assertions.Expect(step.Locator(".step-arguments code")).ToHaveTextAsync("<img src=x onerror=document.title=1>");
        await Assertions.Expect(reply.Locator("img")).ToHaveCountAsync(0);
        await Assertions.Expect(content).Not.ToContainTextAsync("Tool Executed");

        // A file listed on the message (here uploaded for it) is a card too: a badge for a text file.
        var card = reply.Locator(".file-cards > li");
        await Assertions.Expect(card.Locator(".file-name")).ToHaveTextAsync("data.csv");
        await Assertions.Expect(card.Locator(".badge")).ToHaveTextAsync("CSV");
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-tool-blocks-{width}");
        Assert.NotEqual("1", await page.TitleAsync());
        problems.AssertNone();
    }

    [Fact]
    public async Task AChoiceChangedWhileTheNewChatIsBeingMadeIsKeptAndUsed()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#tool-choices input")).ToHaveCountAsync(2);

        // The browser holds the new chat's creation until the choice has changed.
        var held = new TaskCompletionSource();
        await page.RouteAsync("**/api/v1/chats/new", async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        app.Model.Enqueue(new Script(["Done."]));
        await AppSteps.SendAsync(page, "A chat made slowly");
        await page.Locator("#tools-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "template_render", Exact = true }).CheckAsync();
        held.SetResult();
        await BrowserSession.ArrivesAtAsync(page, "**/chat/*");
        await AppSteps.ReplyEndsAsync(page);

        // The reply was asked for with the tool, and the chat keeps it.
        Assert.Equal(["template_render"], app.Model.Requests.Last()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()));
        var chatId = page.Url.Split('/').Last();
        await WaitForAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/api/v1/chats/{chatId}"))!["chat"]!["tool_ids"] is JsonArray ids
            && ids.Select(id => id!.GetValue<string>()).SequenceEqual(["template_render"]));
        problems.AssertNone();
    }

    /// <summary>
    /// Open WebUI's thinking and code blocks (which Hearth's ChatGPT import writes too) are collapsed like steps: the
    /// thinking's Markdown unquoted and drawn safely, the code with its output; the text around them stays paragraphs.
    /// </summary>
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ThinkingAndCodeBlocksInAReplyAreCollapsed(int width, int height)
    {
        await using var app = await ChatAppServer.StartAsync();
        var (client, token) = await app.Hearth.SignUpAsync("Ada");
        const string Reply = "<details type=\"reasoning\" done=\"true\" duration=\"4\">\n<summary>Thought for 4 seconds</summary>\n" +
            "> The user wants **totals**.\n> <img src=x onerror=document.title=2>\n</details>\n" +
            "The total is 42.\n\n" +
            "<details type=\"code_interpreter\" done=\"true\" output=\"{&quot;stdout&quot;: &quot;42\\n&quot;}\">\n<summary>Analyzed</summary>\n" +
            "```python\nprint(6 * 7)\n```\n</details>\nDone.";
        var chatId = await GalleryServer.CreateChatAsync(client, "Imported thoughts", "What is the total?", Reply);
        var page = await Browser.PageAsync(app.Hearth, token, width, height);
        var problems = new PageProblems(page);
        await page.GotoAsync($"/chat/{chatId}");

        var content = AppSteps.LastReply(page).Locator(".content");
        await Assertions.Expect(content.Locator(":scope > p")).ToHaveTextAsync(["The total is 42.", "Done."]);
        var thought = content.Locator("details.thought");
        var run = content.Locator("details.code-run");
        await Assertions.Expect(thought.Locator("summary")).ToHaveTextAsync("Thought for 4 seconds");
        await Assertions.Expect(run.Locator("summary")).ToHaveTextAsync("Analyzed");
        await Assertions.Expect(thought.Locator(".step-body")).ToBeHiddenAsync();

        await thought.Locator("summary").ClickAsync();
        await Assertions.Expect(thought.Locator(".step-body strong")).ToHaveTextAsync("totals");
        await Assertions.Expect(thought.Locator(".step-body")).ToContainTextAsync("<img src=x onerror=document.title=2>");
        await Assertions.Expect(thought.Locator("blockquote")).ToHaveCountAsync(0);
        await run.Locator("summary").ClickAsync();
        await Assertions.Expect(run.Locator(".code-block code")).ToHaveTextAsync("print(6 * 7)");
        await Assertions.Expect(run.Locator(".step-body > pre")).ToHaveTextAsync("42");
        await Assertions.Expect(content.Locator("img")).ToHaveCountAsync(0);
        await Assertions.Expect(content).Not.ToContainTextAsync("<details");
        await AppSteps.EveryControlIsLabelledAsync(page);
        await BrowserSession.ScreenshotAsync(page, $"app-thought-blocks-{width}");
        Assert.NotEqual("2", await page.TitleAsync());

        // The conversation's own page, drawn by the server, collapses them the same way.
        await page.GotoAsync($"/c/{chatId}");
        content = page.Locator(".messages li.role-assistant .content");
        await Assertions.Expect(content.Locator(":scope > p")).ToHaveTextAsync(["The total is 42.", "Done."]);
        await Assertions.Expect(content.Locator("details.thought summary")).ToHaveTextAsync("Thought for 4 seconds");
        await content.Locator("details.code-run summary").ClickAsync();
        await Assertions.Expect(content.Locator("details.code-run pre code").First).ToHaveTextAsync("print(6 * 7)");
        await Assertions.Expect(content.Locator("details.code-run .step-body > pre")).ToHaveTextAsync("42");
        await Assertions.Expect(content.Locator("img")).ToHaveCountAsync(0);
        await Assertions.Expect(content).Not.ToContainTextAsync("<details");
        await BrowserSession.ScreenshotAsync(page, $"conversation-thought-blocks-{width}");
        problems.AssertNone();
    }

    /// <summary>A reply stopped while its tool runs keeps the call as a step that did not finish, not one running for good.</summary>
    [Fact]
    public async Task AStepStoppedWhileItsToolRunsDidNotFinish()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        await page.GotoAsync("/");
        await page.Locator("#tools-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "python_exec", Exact = true }).CheckAsync();
        await page.Keyboard.PressAsync("Escape");
        app.Model.Enqueue(new Script([], ToolCall: Call("call_slow", "python_exec", new JsonObject { ["code"] = "import time\ntime.sleep(20)" })));
        await AppSteps.SendAsync(page, "Take all day");
        var step = AppSteps.LastReply(page).Locator(".tool-steps details.tool-step");
        await Assertions.Expect(step.Locator(".step-summary")).ToHaveTextAsync("running…");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(step.Locator(".step-summary")).ToHaveTextAsync("did not finish");
        await page.ReloadAsync();
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".tool-steps .step-summary")).ToHaveTextAsync("did not finish");
        problems.AssertNone();
    }

    /// <summary>
    /// Steps show while the reply is still to come: each call as it begins ("running…") and its result as it ends, before
    /// any of the answer's text, in a stored chat and in a temporary one (which the live events alone tell). One width:
    /// behaviour, not layout.
    /// </summary>
    [Fact]
    public async Task StepsShowAsTheToolsRunBeforeTheAnswerInStoredAndTemporaryChats()
    {
        await using var app = await ChatAppServer.StartAsync();
        var (_, token) = await app.Hearth.SignUpAsync("Ada");
        var page = await Browser.PageAsync(app.Hearth, token);
        var problems = new PageProblems(page);
        foreach (var temporary in new[] { false, true })
        {
            await page.GotoAsync("/");
            if (temporary)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Temporary chat" }).ClickAsync();
            }
            await page.Locator("#tools-menu summary").ClickAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "python_exec", Exact = true }).SetCheckedAsync(true);
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "template_render", Exact = true }).SetCheckedAsync(true);
            await page.Keyboard.PressAsync("Escape");
            using var gate = new SemaphoreSlim(0);
            app.Model.Enqueue(
                new Script([], ToolCall: Call("call_wait", "python_exec", new JsonObject { ["code"] = "import time\ntime.sleep(3)\nprint('slept')" })),
                new Script([], ToolCall: Call("call_report", "template_render", new JsonObject
                {
                    ["template"] = "<p>{{note}}</p>", ["data"] = new JsonObject { ["note"] = "fine" }, ["name"] = "summary",
                })),
                new Script(["The answer ", "at last."], ChunkGate: gate));
            await AppSteps.SendAsync(page, "Take your time");

            var reply = AppSteps.LastReply(page);
            var steps = reply.Locator(".tool-steps details.tool-step");
            await Assertions.Expect(steps.Locator(".step-summary")).ToHaveTextAsync(["running…"]);
            await Assertions.Expect(steps.Locator(".step-name")).ToHaveTextAsync(["python_exec", "template_render"]);
            await Assertions.Expect(steps.First.Locator(".step-summary")).ToHaveTextAsync("slept");
            await Assertions.Expect(steps.Nth(1).Locator(".step-summary")).ToContainTextAsync("Rendered summary.html");
            await Assertions.Expect(page.Locator("#messages li.streaming")).ToHaveCountAsync(1);
            await Assertions.Expect(reply.Locator(".content")).Not.ToContainTextAsync("The answer");

            gate.Release(2);
            await AppSteps.ReplyEndsAsync(page);
            await Assertions.Expect(reply.Locator(".content")).ToHaveTextAsync("The answer at last.");
            await Assertions.Expect(steps.Locator(".step-name")).ToHaveTextAsync(["python_exec", "template_render"]);
            await Assertions.Expect(steps.First.Locator(".step-summary")).ToHaveTextAsync("slept");
        }
        problems.AssertNone();
    }

    /// <summary>Waits until <paramref name="condition"/> holds (it is asked again every 100 ms, for at most 20 seconds).</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
