using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>The browser storage bridge's files are served to anyone, with the right types and revalidation.</summary>
public sealed class KvBridgeScriptTests
{
    [Theory]
    [InlineData("/static/hearth-storage-bridge.js", "text/javascript", "window.storage = {")]
    [InlineData("/static/hearth-storage-host.js", "text/javascript", "window.HearthStorageHost = { attach: attach }")]
    [InlineData("/static/hearth-storage-test.html", "text/html", "sandbox=\"allow-scripts allow-forms allow-modals\"")]
    [InlineData("/static/hearth-storage-test.js", "text/javascript", "keyPrefix: 'test-page/'")]
    [InlineData("/static/hearth-storage-test-artifact.html", "text/html", "all checks passed")]
    public async Task EachFileIsServedWithItsContentType(string path, string mediaType, string content)
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var response = await app.Client().GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Contains(content, await response.Content.ReadAsStringAsync());

        var revalidate = new HttpRequestMessage(HttpMethod.Get, path);
        revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(304, (int)(await app.Client().SendAsync(revalidate)).StatusCode);
    }

    [Theory]
    [InlineData("/static/hearth-storage-bridge.js", "DENY")]
    [InlineData("/static/hearth-storage-host.js", "DENY")]
    [InlineData("/static/hearth-storage-test.js", "DENY")]
    [InlineData("/static/hearth-storage-test.html", "SAMEORIGIN")]
    [InlineData("/static/hearth-storage-test-artifact.html", "SAMEORIGIN")]
    public async Task EachFileHasAPolicyAndOnlyHearthMayFrameIt(string path, string frameOptions)
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var response = await app.Client().GetAsync(path);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(frameOptions, Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains(frameOptions == "DENY" ? "frame-ancestors 'none'" : "frame-ancestors 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        if (path.EndsWith("test.html", StringComparison.Ordinal))
        {
            // The page acts with the viewer's session: only Hearth's own scripts, no inline ones.
            Assert.Contains("script-src 'self';", csp);
            Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync());
        }
        if (path.EndsWith("artifact.html", StringComparison.Ordinal))
        {
            Assert.StartsWith(Hearth.Server.ArtifactFiles.ArtifactFileResponses.FramePolicy, csp);
        }
    }

    [Fact]
    public async Task TheTestPageLoadsTheScriptsHearthServes()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var page = await app.Client().GetStringAsync("/static/hearth-storage-test.html");
        var artifact = await app.Client().GetStringAsync("/static/hearth-storage-test-artifact.html");
        foreach (var script in new[] { "/static/hearth-storage-host.js", "/static/hearth-storage-test.js", "/static/hearth-storage-bridge.js" })
        {
            Assert.Contains(script, page + artifact);
            Assert.Equal(200, (int)(await app.Client().GetAsync(script)).StatusCode);
        }
    }
}

public sealed class ArtifactSettingsTests
{
    [Theory]
    [InlineData("ARTIFACT_MAX_VALUE_BYTES", "1MB")]
    [InlineData("ARTIFACT_MAX_USER_BYTES", "0")]
    [InlineData("ARTIFACT_MAX_SHARED_BYTES", "-5")]
    [InlineData("ARTIFACT_MAX_BATCH_OPERATIONS", "lots")]
    [InlineData("ARTIFACT_MAX_PATCH_OPERATIONS", "0")]
    [InlineData("ARTIFACT_WATCH_HEARTBEAT_SECONDS", "0")]
    public async Task ABadArtifactSettingStopsTheServerNamingIt(string name, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { [name] = value });
        });
        Assert.Contains(name, error.ToString());
    }

    [Fact]
    public async Task AnIdleWatchStreamSendsHeartbeats()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite,
            new Dictionary<string, string?> { ["ARTIFACT_WATCH_HEARTBEAT_SECONDS"] = "1" });
        var ada = await app.SignUpAsync("Ada");
        using var response = await ada.Client.GetAsync("/api/artifacts/watch?scope=shared", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(": watching", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal(": heartbeat", await reader.ReadLineAsync(timeout.Token));
    }
}
