using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Hearth.BrowserTests.App;
using Hearth.Tests.Completions;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace Hearth.BrowserTests;

/// <summary>
/// Issue 14: axe-core (4.14, embedded in Deque.AxeCore.Playwright) finds no serious or critical violation on any page a
/// person reaches, in every state that draws something of its own (dialogs, menus, the drawer, a streaming reply, each
/// preview kind), at 1280×800 and 390×844 (where the sidebar is a drawer), light and dark (the system's colour scheme,
/// which the default theme follows). Each page is scanned in both layouts and both themes as two looks, wide and light,
/// narrow and dark: what a width changes (the drawer, wrapping) does not depend on the colours, and what a theme changes
/// (contrast) does not depend on the width, and all four pairings cost the test run's longest class 80 s more.
/// A test lists every finding of its pages at once, so one CI log explains them all.
/// </summary>
public sealed class AccessibilityTests(AccessibilityFixture fixture) : PagesCloseAfterEachTest(fixture.Browser), IClassFixture<AccessibilityFixture>
{
    public static TheoryData<int, int, string> Looks => new()
    {
        { 1280, 800, "light" }, { 390, 844, "dark" },
    };

    /// <summary>A line of code wider than any message, so its block scrolls sideways.</summary>
    public const string LongLine = "totals = {month: sum(row.amount for row in rows if row.month == month and row.region in regions) for month in months}";

    private Task<IPage> PageAsync(GalleryServer server, string? token, int width, int height, string theme) =>
        fixture.Browser.PageAsync(server, token, width, height, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task SignUpSignInAndWaitingForApprovalHaveNoSeriousViolation(int width, int height, string theme)
    {
        var findings = new AxeFindings();

        var fresh = await PageAsync(fixture.Fresh, null, width, height, theme);
        await fresh.GotoAsync("/signup");
        await Assertions.Expect(fresh.Locator("h1")).ToHaveTextAsync("Create the admin account");
        await findings.ScanAsync(fresh, "sign-up on a fresh install");
        await fresh.Context.CloseAsync();

        var visitor = await PageAsync(fixture.App.Hearth, null, width, height, theme);
        await visitor.GotoAsync("/signin");
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync("Sign in to Hearth");
        await findings.ScanAsync(visitor, "sign-in");
        await visitor.GetByLabel("E-mail").FillAsync("nobody@example.com");
        await visitor.GetByLabel("Password").FillAsync("wrong password");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(visitor.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await findings.ScanAsync(visitor, "sign-in refused");
        await visitor.GotoAsync("/signup");
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync("Create an account");
        await findings.ScanAsync(visitor, "sign-up");
        await visitor.Context.CloseAsync();

        var pending = await PageAsync(fixture.App.Hearth, fixture.PendingToken, width, height, theme);
        await pending.GotoAsync("/");
        await Assertions.Expect(pending.Locator("h1")).ToHaveTextAsync("Waiting for approval");
        await findings.ScanAsync(pending, "waiting for approval");
        await pending.Context.CloseAsync();

        findings.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task TheChatAppWithItsDialogsAndMenusHasNoSeriousViolation(int width, int height, string theme)
    {
        var findings = new AxeFindings();
        var page = await PageAsync(fixture.App.Hearth, fixture.AdaToken, width, height, theme);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#model option")).ToHaveTextAsync(["gpt-test"]);
        await Assertions.Expect(page.Locator("#chat-list")).ToHaveAttributeAsync("aria-busy", "false");
        await Assertions.Expect(page.Locator("#chat-list")).ToContainTextAsync("Sales analysis 2024");
        await findings.ScanAsync(page, "a new chat");
        var tools = page.Locator("#tools-menu summary");
        await tools.ClickAsync();
        await Assertions.Expect(page.Locator("#tool-choices input").First).ToBeVisibleAsync();
        await findings.ScanAsync(page, "the tools menu");
        await tools.ClickAsync();
        await Assertions.Expect(page.Locator("#tools-menu")).Not.ToHaveAttributeAsync("open", "");

        // A reply held back after its first chunk, then let through: the streaming state, then the finished one.
        var gate = new SemaphoreSlim(0);
        fixture.App.Model.Enqueue(new Script([
            "Here is **the summary**",
            " with code:\n\n<details type=\"reasoning\" done=\"true\" duration=\"2\">\n<summary>Thought for 2 seconds</summary>\n> Weighing the months.\n</details>\n"
            + "```python\nprint('hi')  # greet\n" + LongLine + "\n```\n\n| Month | Sales |\n|---|---|\n| May | 12 |\n\n"
            + "- [x] Collect the data\n- [ ] Share it\n\n> In thousands, `EUR`. [The gallery](/artifacts)\n\n"
            + "```svg\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"40\"><circle cx=\"20\" cy=\"20\" r=\"15\"/></svg>\n```",
        ], ChunkGate: gate));
        await AppSteps.SendAsync(page, "Summarise the report");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/chat/[^/]+$"));
        gate.Release();
        await Assertions.Expect(AppSteps.LastReply(page).Locator("strong")).ToHaveTextAsync("the summary");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chat-list")).ToContainTextAsync("Summarise the report");
        await findings.ScanAsync(page, "a reply streaming");
        gate.Release();
        await AppSteps.ReplyEndsAsync(page);
        await Assertions.Expect(AppSteps.LastReply(page).Locator(".code-block .tok-keyword").First).ToHaveTextAsync("print");
        await findings.ScanAsync(page, "a chat with a streamed reply");

        // The reply's picture in the artifacts panel (open when the reply ended on a wide screen; Preview on a phone).
        if (AppSteps.IsPhone(page))
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Preview this SVG beside the chat" }).ClickAsync();
        }
        await Assertions.Expect(page.Locator("#artifact-position")).ToHaveTextAsync("1 / 1");
        await findings.ScanAsync(page, "the artifacts panel");
        await page.Locator("#artifact-close").ClickAsync();
        await Assertions.Expect(page.Locator("#artifact-panel")).ToBeHiddenAsync();

        // The header's menu, then its share dialog with a link.
        var head = page.Locator("#chat-menu");
        await head.Locator("summary").ClickAsync();
        await Assertions.Expect(head.GetByRole(AriaRole.Button, new() { Name = "Share…" })).ToBeVisibleAsync();
        await findings.ScanAsync(page, "the chat's menu");
        await head.GetByRole(AriaRole.Button, new() { Name = "Share…" }).ClickAsync();
        var share = page.Locator("#share-dialog");
        await share.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Assertions.Expect(share.GetByLabel("Link")).ToBeVisibleAsync();
        // Who may open it: Bob found by name and given the link.
        await share.GetByLabel("Add a person or group").FillAsync("bo");
        var addBob = share.GetByRole(AriaRole.Button, new() { Name = "Add Bob", Exact = true });
        await Assertions.Expect(addBob).ToBeVisibleAsync();
        await findings.ScanAsync(page, "the share dialog finding people");
        await addBob.ClickAsync();
        await Assertions.Expect(share.Locator("#share-grants .user-name")).ToHaveTextAsync(["Bob"]);
        await findings.ScanAsync(page, "the share dialog");
        await share.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(share).ToBeHiddenAsync();

        // The sidebar (a drawer on a phone) with a chat's menu open, pinned chats, a folder and tags.
        await AppSteps.ShowChatListAsync(page);
        var list = page.Locator("#chat-list");
        await list.GetByLabel("Actions for Sales analysis 2024", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(list.Locator("details[open]").GetByRole(AriaRole.Button, new() { Name = "Archive", Exact = true })).ToBeVisibleAsync();
        await findings.ScanAsync(page, "the sidebar with a chat's menu");
        await list.GetByLabel("Actions for Sales analysis 2024", new() { Exact = true }).ClickAsync();

        // Search results take the list's place.
        var search = page.GetByLabel("Search chats");
        await search.FillAsync("quarterly");
        await Assertions.Expect(page.Locator("#search-results").GetByRole(AriaRole.Status)).ToHaveTextAsync("1 chat matches.");
        await findings.ScanAsync(page, "search results");
        await search.FillAsync("");
        await Assertions.Expect(list).ToBeVisibleAsync();

        // The archived view.
        await page.GetByRole(AriaRole.Button, new() { Name = "Archived", Exact = true }).ClickAsync();
        var archived = page.Locator("#archived-dialog");
        await Assertions.Expect(archived.Locator("li > a")).ToHaveTextAsync(["Old receipts"]);
        await findings.ScanAsync(page, "the archived view");
        await archived.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(archived).ToBeHiddenAsync();

        // Settings, each tab once its module has read what it shows (Ada is an admin: hers are all there).
        await AppSteps.ShowChatListAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true }).ClickAsync();
        var settings = page.Locator("#settings-dialog");
        var tabs = new (string Tab, Func<Task> Ready)[]
        {
            ("General", () => Assertions.Expect(settings.GetByLabel("Same as the system")).ToBeCheckedAsync()),
            ("Account", () => Assertions.Expect(settings.Locator("#profile-name")).ToHaveValueAsync("Ada")),
            ("API key", () => Assertions.Expect(settings.Locator("#key-state")).Not.ToBeEmptyAsync()),
            ("Import and export", () => Assertions.Expect(settings.GetByLabel("Export file")).ToBeVisibleAsync()),
            ("Users", () => Assertions.Expect(settings.Locator("#user-list li")).ToHaveCountAsync(2)),
            ("Sign-up and permissions", () => Assertions.Expect(settings.Locator("#permission-fields input").First).ToBeVisibleAsync()),
            ("Connections", () => Assertions.Expect(settings.Locator("#connection-list li")).ToHaveCountAsync(1)),
        };
        foreach (var (tab, ready) in tabs)
        {
            await settings.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync();
            await ready();
            await findings.ScanAsync(page, $"settings: {tab}");
        }
        await settings.GetByRole(AriaRole.Button, new() { Name = "Close settings" }).ClickAsync();
        await page.Context.CloseAsync();
        findings.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task TheGalleryAndItsPreviewsHaveNoSeriousViolation(int width, int height, string theme)
    {
        var findings = new AxeFindings();
        var page = await PageAsync(fixture.App.Hearth, fixture.AdaToken, width, height, theme);
        await page.GotoAsync("/artifacts");
        await Assertions.Expect(page.Locator("#grid .card")).ToHaveCountAsync(8);
        await findings.ScanAsync(page, "the gallery");

        foreach (var name in new[] { "summary.md", "analysis.py", "data.csv", "heatmap.png", "report.html", "paper.pdf", "archive.zip" })
        {
            await page.Locator($"#grid .card[data-name='{name}']").ClickAsync();
            await Assertions.Expect(page.Locator("#preview .preview-name")).ToHaveTextAsync(name);
            await Assertions.Expect(page.Locator("#preview .preview-loading")).ToHaveCountAsync(0);
            // An HTML preview's frame is checked (its title), not what the model made inside it (AxeFindings).
            await findings.ScanAsync(page, $"a preview of {name}");
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator("#preview")).ToBeHiddenAsync();
        }

        await page.GotoAsync("/artifacts?type=images&q=nothing");
        await Assertions.Expect(page.Locator(".empty")).ToBeVisibleAsync();
        await findings.ScanAsync(page, "the gallery finding nothing");
        await page.Context.CloseAsync();
        findings.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task TheConversationSharedViewAndAnArtifactOnItsOwnHaveNoSeriousViolation(int width, int height, string theme)
    {
        var findings = new AxeFindings();
        var page = await PageAsync(fixture.App.Hearth, fixture.AdaToken, width, height, theme);
        await page.GotoAsync($"/c/{fixture.SalesChat}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sales analysis 2024");
        await findings.ScanAsync(page, "the read-only conversation");

        await page.GotoAsync(fixture.ReportUrl + "?inline=true");
        await Assertions.Expect(page.Locator("iframe.artifact-frame")).ToHaveAttributeAsync("src", new Regex("inline=true"));
        // As in the gallery's preview: the frame is Hearth's and checked, the page inside it the model's and not.
        await findings.ScanAsync(page, "an artifact opened on its own");
        await page.Context.CloseAsync();

        var visitor = await PageAsync(fixture.App.Hearth, null, width, height, theme);
        await visitor.GotoAsync($"/s/{fixture.ShareId}");
        await Assertions.Expect(visitor.Locator(".shared-note")).ToHaveTextAsync("Shared conversation · read-only");
        await findings.ScanAsync(visitor, "the shared view");
        await visitor.Context.CloseAsync();
        findings.AssertNone();
    }
}

/// <summary>
/// The serious and critical violations axe found in one test's pages, each named by the state it was found in.
/// axe-core is the one Deque.AxeCore.Playwright bundles (4.14), put into each document once through Playwright, which
/// passes the pages' CSP (script-src 'self') by the DevTools protocol, and run there with axe.run: well under a second
/// a scan. The package's own RunAxe took 2 to 3 seconds a scan here, as it injects axe-core again on every call and
/// finishes each run in a new blank page. A failure lists each violation's rule, impact, help and first elements.
/// </summary>
public sealed class AxeFindings
{
    private static readonly string AxeSource = new BundledAxeScriptProvider().GetScript();
    private readonly StringBuilder _report = new();
    private int _count;

    /// <summary>
    /// What an artifact frame matches: the gallery's HTML and PDF previews and an HTML artifact opened on its own.
    /// What such a frame shows is the model's (or Chromium's PDF viewer), not Hearth's, so axe does not go into it
    /// (iframes: false); the frame element itself, its title included, is checked with the rest of the page. The chat
    /// app's artifacts panel frames Hearth's artifact page, which is scanned on its own ("an artifact opened on its own").
    /// </summary>
    private const string ArtifactFrames = "iframe.preview-html, iframe.preview-pdf, iframe.artifact-frame, iframe.panel-frame";

    /// <summary>Runs axe on the page as it is.</summary>
    public async Task ScanAsync(IPage page, string state)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe?.run === 'function'"))
        {
            await page.EvaluateAsync(AxeSource);
        }
        // Only artifact frames are left unchecked: a frame of Hearth's own would have to be scanned too.
        var otherFrames = await page.EvaluateAsync<string[]>(
            "selector => [...document.querySelectorAll('iframe, frame')].filter(f => !f.matches(selector)).map(f => f.outerHTML)", ArtifactFrames);
        foreach (var frame in otherFrames)
        {
            _count++;
            _report.AppendLine($"{state}: a frame that is not an artifact's, which this test does not look into: {Shorten(frame)}");
        }
        var json = await page.EvaluateAsync<string>(
            "async () => JSON.stringify(await axe.run(document, { iframes: false, resultTypes: ['violations'] }))");
        var result = new AxeResult(JObject.Parse(json));
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            _count++;
            _report.AppendLine($"{state}: {violation.Id} ({violation.Impact}) {violation.Help} [{violation.Nodes.Length} element(s)] {violation.HelpUrl}");
            foreach (var node in violation.Nodes.Take(5))
            {
                var why = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).FirstOrDefault();
                _report.AppendLine($"    {node.Target}: {Shorten(node.Html)}{(why is null ? "" : " — " + why)}");
            }
        }
    }

    public void AssertNone()
    {
        if (_count > 0)
        {
            Assert.Fail($"axe found {_count} serious or critical violation(s):\n{_report}");
        }
    }

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";
}
