using Microsoft.Playwright;

namespace Hearth.Benchmarks;

/// <summary>
/// Headless Chromium for the app's benchmark: Debian's, as the browser tests drive it (<c>./test.sh</c> installs it), one
/// browser for the run and a profile (browser context) per measurement, signed in through the session cookie. Anything the page
/// does not get (an answer of 400 or more, a request that fails, an uncaught script error) fails the run, as a failed
/// request does in every other benchmark.
/// </summary>
internal sealed class AppBrowser : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _failures = [];

    private AppBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<AppBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new BenchmarkFailure($"{ChromiumPath} is missing: the app's benchmark drives Debian's Chromium (apt-get install chromium, or run ./test.sh once).");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                Hearth.BrowserTests.ChromiumFeatures.Switch],
        });
        return new AppBrowser(playwright, browser);
    }

    /// <summary>
    /// A fresh profile at 1280×800 signed in with <paramref name="token"/>, whose pages run <paramref name="probe"/> before the
    /// app's own scripts. Its pages share the profile's caches, as a person's visits do.
    /// </summary>
    public async Task<IBrowserContext> ProfileAsync(Uri hearth, string token, string probe)
    {
        var profile = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = hearth.ToString().TrimEnd('/'), ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        await profile.AddCookiesAsync([new Cookie { Name = "token", Value = token, Url = hearth.ToString(), HttpOnly = true }]);
        if (probe.Length > 0)
        {
            await profile.AddInitScriptAsync(probe);
        }
        return profile;
    }

    /// <summary>A new tab of <paramref name="profile"/>, watched for failures.</summary>
    public async Task<IPage> PageAsync(IBrowserContext profile)
    {
        var page = await profile.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Fail($"{response.Request.Method} {response.Url} answered {response.Status}");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            // A request the page dropped by closing (its event stream, a fetch still under way) is not a failure of the app.
            if (request.Failure is not null && !page.IsClosed && request.Failure != "net::ERR_ABORTED")
            {
                Fail($"{request.Method} {request.Url} failed: {request.Failure}");
            }
        };
        page.PageError += (_, error) => Fail($"the page threw: {error}");
        return page;
    }

    /// <summary>Closes the tab, then ends the run if anything in it failed.</summary>
    public async Task CloseAsync(IPage page)
    {
        await page.CloseAsync();
        ThrowIfFailed();
    }

    public void ThrowIfFailed()
    {
        lock (_failures)
        {
            if (_failures.Count > 0)
            {
                throw new BenchmarkFailure("in the browser, " + string.Join("; ", _failures));
            }
        }
    }

    private void Fail(string what)
    {
        lock (_failures)
        {
            _failures.Add(what);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
