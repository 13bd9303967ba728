namespace Hearth.BrowserTests.App;

/// <summary>
/// The base of every chat-app journey: xunit makes an instance per test, and each gets its own Chromium, started
/// before the test and closed after it, so no journey sees another's cookies, storage or open pages.
/// </summary>
public abstract class AppJourney : IAsyncLifetime
{
    protected BrowserSession Browser { get; } = new();

    public Task InitializeAsync() => Browser.InitializeAsync();

    public Task DisposeAsync() => Browser.DisposeAsync();
}
