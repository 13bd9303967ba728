using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright: headless, no sandbox (tests run as root), and no background
/// networking, so it never tries to reach the internet. Playwright never downloads a browser here.
/// Every session without switches of its own shares one Chromium for the whole run, and each of its pages lives in a
/// browser context of its own (cookies, storage and cache apart, as in a fresh profile) that the session closes when it
/// ends: a launch per test cost about two seconds, and pages left open kept Chromium busy for the rest of a class.
/// </summary>
/// <param name="arguments">More command-line switches for Chromium (a host-resolver rule, for one): such a session gets a Chromium of its own.</param>
public sealed class BrowserSession(params string[] arguments) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    // Launched outside the first test's synchronization context, so the later tests that share it never wait on that one.
    private static readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> Shared = new(() => Task.Run(() => LaunchAsync([])));
    private readonly List<IBrowserContext> _contexts = [];
    private (IPlaywright Playwright, IBrowser Browser)? _own;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (arguments.Length > 0)
        {
            _own = await LaunchAsync(arguments);
            Browser = _own.Value.Browser;
        }
        else
        {
            Browser = (await Shared.Value).Browser;
        }
    }

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync(string[] switches)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium package.");
        }
        // Assertions retry until they hold; Playwright's 5 seconds are too short for a two-core machine running
        // a test server, PostgreSQL and Chromium at once (a filter test once timed out), so they get longer.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", ChromiumFeatures.Switch, .. switches],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// A fresh browser profile, signed in as <paramref name="token"/>'s user through the session cookie when given; the
    /// system's colour scheme is <paramref name="colorScheme"/> (Playwright's light unless given), which the "system" theme follows.
    /// The page reaches the server by <paramref name="host"/> when given (a name this session's Chromium resolves to it).
    /// </summary>
    public async Task<IPage> PageAsync(GalleryServer server, string? token = null, int width = 1280, int height = 860, ColorScheme? colorScheme = null,
        string? host = null)
    {
        var address = host is null ? server.Address : new UriBuilder(server.Address) { Host = host }.Uri;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = width, Height = height }, AcceptDownloads = true,
            ColorScheme = colorScheme,
        });
        if (token is not null)
        {
            await context.AddCookiesAsync([new Cookie { Name = "token", Value = token, Url = address.ToString(), HttpOnly = true }]);
        }
        lock (_contexts)
        {
            _contexts.Add(context);
        }
        var page = await context.NewPageAsync();
        PageTraffic.Watch(page);
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        return page;
    }

    /// <summary>
    /// Waits until the page's address matches <paramref name="glob"/> (Playwright's URL globs: <c>**</c> anything,
    /// <c>*</c> anything but a slash, the rest as written), by asking for the address until it does. Not by waiting for a
    /// navigation's events: one that finished before the wait began can leave them unseen, and <c>WaitForURLAsync</c>, even
    /// with <see cref="WaitUntilState.Commit"/>, then timed out on a page already at the address (a CI run on 2026-12-05).
    /// Every assertion that follows retries until the new document shows what it expects.
    /// </summary>
    public static async Task ArrivesAtAsync(IPage page, string glob)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(UrlGlob(glob), new() { Timeout = 60_000 });
        }
        catch (PlaywrightException timeout)
        {
            var address = await page.EvaluateAsync<string>("location.href").WaitAsync(TimeSpan.FromSeconds(5));
            // What the page says in its live regions: an app shows a failed request's reason there.
            var said = await page.EvaluateAsync<string>(
                "[...document.querySelectorAll('[role=status], [role=alert]')].map(e => e.textContent.trim()).filter(t => t).join(' | ')")
                .WaitAsync(TimeSpan.FromSeconds(5));
            throw new TimeoutException(
                $"{timeout.Message}\nThe page is at {address} (Playwright says {page.Url}) and says \"{said}\"; {PageTraffic.Describe(page)}", timeout);
        }
    }

    /// <summary>A URL glob as a regular expression over the whole address.</summary>
    private static System.Text.RegularExpressions.Regex UrlGlob(string glob) =>
        new("^" + string.Join(".*", glob.Split("**").Select(part => string.Join("[^/]*", part.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)))) + "$");

    /// <summary>Saves a screenshot under TestResults/screenshots/ at the repository's root.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hearth.slnx")))
        {
            directory = directory.Parent;
        }
        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
    }

    /// <summary>Closes every page this session opened (the shared Chromium stays for the next session).</summary>
    public async Task ClosePagesAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open)
        {
            try
            {
                await context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                // A context that will not close stays open until the run ends: a cost, not a reason to fail a test that passed.
            }
        }
    }

    public async Task DisposeAsync()
    {
        await ClosePagesAsync();
        if (_own is var (playwright, browser))
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
