namespace Hearth.BrowserTests;

/// <summary>
/// The <c>--disable-features</c> switch every Chromium that Playwright launches here gets (the browser tests and the app
/// benchmark). Chromium keeps only the last <c>--disable-features</c> on its command line, so adding one replaces the
/// list Playwright passes: that list is repeated here (<c>ChromiumFeaturesTests</c> fails when a Playwright update
/// changes it) and Hearth's own additions follow.
/// </summary>
internal static class ChromiumFeatures
{
    /// <summary>Playwright 1.64's list, as its Chromium launcher passes it.</summary>
    public static readonly string[] Playwright =
    [
        "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "DialMediaRouteProvider", "GlobalMediaControls", "HttpsUpgrades",
        "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning", "BlockOriginHeaderModificationOnRedirect",
        "AvoidCorsURLLoaderRestartOnRedirect", "Translate", "AutoDeElevate", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled",
        "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
    ];

    /// <summary>
    /// The address bar's suggestion popups, which Chromium 156 builds as web pages ahead of time for every window. Headless,
    /// each new page is a window of its own, so each page cost their two renderers' start (about 600 ms of a core, half of
    /// what opening a chat cost) on a machine with two: no page here ever has an address bar to type into.
    /// </summary>
    public static readonly string[] Hearth = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];

    public static string Switch => "--disable-features=" + string.Join(',', [.. Playwright, .. Hearth]);
}
