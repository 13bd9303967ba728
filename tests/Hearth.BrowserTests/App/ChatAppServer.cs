using Hearth.Tests.Completions;
using Hearth.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.App;

/// <summary>
/// What a chat-app journey runs against: a real Hearth (SQLite, or a fresh database in the throwaway PostgreSQL
/// cluster) whose one model connection is the completion tests' scripted model server, and Chromium.
/// </summary>
public sealed class ChatAppServer : IAsyncDisposable
{
    private ChatAppServer(GalleryServer hearth, ScriptedModelServer model)
    {
        Hearth = hearth;
        Model = model;
    }

    public GalleryServer Hearth { get; }
    public ScriptedModelServer Model { get; }

    public static async Task<ChatAppServer> StartAsync(bool postgres = false, Dictionary<string, string?>? settings = null, params string[] models)
    {
        var model = await ScriptedModelServer.StartAsync();
        if (models.Length > 0)
        {
            model.Models = models;
        }
        var all = new Dictionary<string, string?>
        {
            ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
            ["OPENAI_API_KEYS"] = "sk-upstream",
            // Each title is one more request to the scripted model, which answers requests in order: only the journey
            // about titles turns them on.
            ["ENABLE_TITLE_GENERATION"] = "false",
        };
        if (postgres)
        {
            all["DATABASE_URL"] = await PostgresServer.CreateDatabaseAsync();
        }
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        return new ChatAppServer(GalleryServer.Start(all), model);
    }

    public async ValueTask DisposeAsync()
    {
        await Hearth.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>Steps the journeys share: the drawer on a phone, typing into the composer, waiting for a reply.</summary>
public static class AppSteps
{
    /// <summary>The width below which the sidebar is a drawer (hearth.css).</summary>
    private const int DrawerWidth = 800;

    public static bool IsPhone(IPage page) => page.ViewportSize!.Width < DrawerWidth;

    /// <summary>
    /// Waits until the app's script has wired every control (<c>#app[data-ready]</c>). The page is drawn by the server, so
    /// its buttons show before they answer: a click or key press before then is lost, and the step waiting for its effect
    /// times out (a settings journey once failed so, its drawer never opening).
    /// </summary>
    public static Task ReadyAsync(IPage page) => Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-ready", "true");

    /// <summary>Shows the chat list: on a phone it is a drawer that has to be opened first.</summary>
    public static async Task ShowChatListAsync(IPage page)
    {
        await ReadyAsync(page);
        if (IsPhone(page) && !await page.Locator("#app.drawer-shown").IsVisibleAsync())
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the chat list" }).ClickAsync();
        }
        await Assertions.Expect(page.Locator("#sidebar")).ToBeInViewportAsync();
    }

    /// <summary>Types a message and presses Enter.</summary>
    public static async Task SendAsync(IPage page, string text)
    {
        await ReadyAsync(page);
        var prompt = page.GetByLabel("Message", new() { Exact = true });
        await prompt.FillAsync(text);
        await prompt.PressAsync("Enter");
    }

    /// <summary>Runs an action of a chat's menu in the sidebar (the drawer opened first on a phone).</summary>
    public static async Task SidebarMenuAsync(IPage page, string title, string action)
    {
        await ShowChatListAsync(page);
        var list = page.Locator("#chat-list");
        await list.GetByLabel($"Actions for {title}", new() { Exact = true }).ClickAsync();
        await list.Locator("details[open]").GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
    }

    /// <summary>Runs an action of the open chat's menu in its header.</summary>
    public static async Task HeaderMenuAsync(IPage page, string action)
    {
        var head = page.Locator("#chat-menu");
        await head.Locator("summary").ClickAsync();
        await head.GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
    }

    public static ILocator Messages(IPage page) => page.Locator("#messages > li");

    public static ILocator LastReply(IPage page) => page.Locator("#messages > li.role-assistant").Last;

    /// <summary>Waits until no reply streams: the Stop button has given way to Send.</summary>
    public static async Task ReplyEndsAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("#messages li.streaming")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Every control has a name a screen reader can say (its label, text or aria-label).</summary>
    public static async Task EveryControlIsLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button, select, textarea, input, summary, a[href]')]
              .filter(e => e.getClientRects().length > 0)
              .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || (e.labels && e.labels.length)))
              .map(e => e.outerHTML.slice(0, 120))
            """);
        Assert.Empty(unlabelled);
    }
}

/// <summary>Script errors and refused resources (a CSP violation, a module that did not load) of one page.</summary>
public sealed class PageProblems
{
    private readonly List<string> _problems = [];

    public PageProblems(IPage page)
    {
        page.PageError += (_, error) => Add("script error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Add($"console: {message.Text} ({message.Location})");
            }
        };
    }

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Fails with what went wrong, ignoring expected answers (<paramref name="allowed"/>, e.g. a scripted 500).</summary>
    public void AssertNone(params string[] allowed)
    {
        lock (_problems)
        {
            Assert.DoesNotContain(_problems, p => !allowed.Any(a => p.Contains(a, StringComparison.Ordinal)));
        }
    }
}
