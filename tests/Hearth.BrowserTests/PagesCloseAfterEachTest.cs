namespace Hearth.BrowserTests;

/// <summary>
/// Base of the test classes whose fixture holds the browser session (and a server filled once): each test's pages close
/// when it ends, while the fixture's server and the run's Chromium stay for the next test. Pages left open until the
/// class ended kept Chromium busy during every later test of it.
/// </summary>
public abstract class PagesCloseAfterEachTest(BrowserSession browser) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();
}
