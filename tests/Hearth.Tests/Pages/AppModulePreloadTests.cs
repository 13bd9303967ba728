using System.Net;
using System.Text.RegularExpressions;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Pages;

/// <summary>
/// Issue 14 (a long chat opens in under a second): the app's page names every module <c>app.js</c> imports statically, so
/// the browser asks for them all at once instead of one level of imports per round trip. Read from the embedded files;
/// the modules imported on demand (KaTeX, the admin tabs) stay out. SQLite only: the page's head is the same whatever
/// the database.
/// </summary>
public sealed partial class AppModulePreloadTests(SharedApp.OnSqlite fixture) : IClassFixture<SharedApp.OnSqlite>
{
    [GeneratedRegex("""<link rel="modulepreload" href="(?<href>[^"]+)">""")]
    private static partial Regex Preload();

    [Fact]
    public async Task ThePageNamesEveryStaticImportOnceAndEachIsServed()
    {
        var ada = await fixture.NewUserAsync("Ada");
        var page = await fixture.App.BrowserClient(ada.Token).GetStringAsync("/");
        var addresses = Preload().Matches(page).Select(m => m.Groups["href"].Value).ToList();
        // Each at its versioned address (VersionedAssetTests); compared here by path.
        Assert.All(addresses, a => Assert.Matches(@"\?v=[0-9a-f]{16}$", a));
        var preloads = addresses.Select(a => a.Split('?')[0]).ToList();

        Assert.Equal("/assets/app/app.js", preloads[0]);
        Assert.Equal(preloads.Count, preloads.Distinct().Count());
        // Reached through one, two and three levels of imports.
        Assert.Contains("/assets/app/sidebar.js", preloads);
        Assert.Contains("/assets/app/markdown.js", preloads);
        Assert.Contains("/assets/app/vendor/marked.esm.js", preloads);
        Assert.Contains("/assets/app/vendor/purify.es.mjs", preloads);
        Assert.Contains("/assets/app/dom.js", preloads);
        // Imported on demand only.
        Assert.DoesNotContain(preloads, p => p.Contains("katex", StringComparison.Ordinal) || p.EndsWith("/users.js", StringComparison.Ordinal)
            || p.EndsWith("/admin.js", StringComparison.Ordinal));
        foreach (var module in addresses)
        {
            var answer = await fixture.App.BrowserClient().GetAsync(module);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.StartsWith("text/javascript", answer.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        }
    }
}
