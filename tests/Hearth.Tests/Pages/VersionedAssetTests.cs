using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Pages;

/// <summary>
/// Issue 14 (a chat opens in under a second): the app's page names its files at versioned addresses (<c>?v=</c> and the
/// start of the file's SHA-256), which browsers keep for good, and maps the modules' own relative imports to them with an
/// import map that its Content-Security-Policy allows by hash; a plain address is revalidated as before, so a page loaded
/// after an upgrade gets only the new files, and another version's address is not found (a tab left open across an upgrade). SQLite only: the page and its files are the same whatever the database.
/// </summary>
public sealed partial class VersionedAssetTests(SharedApp.OnSqlite fixture) : IClassFixture<SharedApp.OnSqlite>
{
    [GeneratedRegex("""<script type="importmap">(?<map>[^<]*)</script>""")]
    private static partial Regex ImportMap();

    [GeneratedRegex("""(?:href|src)="(?<address>/assets/[^"]+\?v=[0-9a-f]{16})""")]
    private static partial Regex VersionedAddress();

    [Fact]
    public async Task TheImportMapSendsEveryModuleToItsVersionedAddressAndThePolicyAllowsIt()
    {
        var ada = await fixture.NewUserAsync("Ada");
        using var answer = await fixture.App.BrowserClient(ada.Token).GetAsync("/");
        var page = await answer.Content.ReadAsStringAsync();

        var text = ImportMap().Match(page).Groups["map"].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        Assert.Contains($"script-src 'self' 'sha256-{hash}';", Assert.Single(answer.Headers.GetValues("Content-Security-Policy")));
        var imports = JsonDocument.Parse(text).RootElement.GetProperty("imports").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        // Modules imported on demand are mapped too: the map is the only way their relative imports reach a versioned address.
        foreach (var module in new[] { "app/app.js", "app/sidebar.js", "app/users.js", "app/vendor/katex/katex.mjs", "app/vendor/purify.es.mjs" })
        {
            Assert.Matches($@"^/assets/{Regex.Escape(module)}\?v=[0-9a-f]{{16}}$", imports["/assets/" + module]);
        }
        // What the page itself names (the stylesheet, the scripts, the preloads) is at the same addresses.
        var named = VersionedAddress().Matches(page).Select(m => m.Groups["address"].Value).ToList();
        Assert.Contains(named, a => a.StartsWith("/assets/hearth.css?v=", StringComparison.Ordinal));
        Assert.Contains(imports["/assets/app/app.js"], named);
        Assert.All(named.Where(a => a.StartsWith("/assets/app/", StringComparison.Ordinal)), a => Assert.Contains(a, imports.Values));
    }

    [Fact]
    public async Task AVersionedAddressIsKeptForGoodAPlainOneIsRevalidatedAndAnotherVersionsIsGone()
    {
        var ada = await fixture.NewUserAsync("Ada");
        var page = await fixture.App.BrowserClient(ada.Token).GetStringAsync("/");
        var versioned = VersionedAddress().Matches(page).Select(m => m.Groups["address"].Value).First(a => a.Contains("/app/api.js", StringComparison.Ordinal));
        var plain = versioned.Split('?')[0];
        var client = fixture.App.BrowserClient();

        using var kept = await client.GetAsync(versioned);
        using var fresh = await client.GetAsync(plain);
        using var stale = await client.GetAsync(plain + "?v=0000000000000000");

        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", kept.Headers.CacheControl!.ToString());
        Assert.Equal("no-cache", fresh.Headers.CacheControl!.ToString());
        // The same file at its plain address: its version is its entity tag.
        Assert.Equal($"\"{versioned[^16..]}\"", kept.Headers.ETag!.Tag);
        Assert.Equal(kept.Headers.ETag, fresh.Headers.ETag);
        Assert.Equal(await kept.Content.ReadAsStringAsync(), await fresh.Content.ReadAsStringAsync());
        // Another version's address (a tab opened before an upgrade) gets no file of this version to mix with its own.
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        Assert.Equal("no-store", stale.Headers.CacheControl!.ToString());
        Assert.Contains("reload the page", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
