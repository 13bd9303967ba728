using System.Net.Http.Json;
using Hearth.Tests.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// Browsers on other origins (CORS_ALLOW_ORIGIN) and Hearth behind a reverse proxy (FORWARDED_ALLOW_IPS, WEBUI_URL),
/// over real HTTP. The tests' requests come from loopback, which is trusted as a proxy unless the setting says otherwise.
/// </summary>
public abstract class WebAccessTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string App = "https://app.example.com";

    private static HttpRequestMessage Preflight(string path, string origin, string method = "POST")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task ByDefaultAnyPageMayCallWithAKeyButNeverWithTheCookie()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");

        var preflight = await app.Client().SendAsync(Preflight("/api/chat/completions", "https://elsewhere.example"));
        Assert.Equal(204, (int)preflight.StatusCode);
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(preflight, "Access-Control-Allow-Methods"));
        Assert.Contains("authorization", Header(preflight, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(preflight, "Access-Control-Allow-Credentials"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auths/");
        get.Headers.Add("Origin", "https://elsewhere.example");
        var answer = await ada.Client.SendAsync(get);
        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Equal("*", Header(answer, "Access-Control-Allow-Origin"));

        // Errors too, so a page can read why it was refused.
        using var refused = new HttpRequestMessage(HttpMethod.Get, "/api/models");
        refused.Headers.Add("Origin", "https://elsewhere.example");
        var error = await app.Client().SendAsync(refused);
        Assert.Equal(403, (int)error.StatusCode);
        Assert.Equal("*", Header(error, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ListedOriginsGetCredentialsAndOthersNothing()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["CORS_ALLOW_ORIGIN"] = $"{App}; http://localhost:5173" });

        var listed = await app.Client().SendAsync(Preflight("/api/v1/chats/new", App));
        Assert.Equal(204, (int)listed.StatusCode);
        Assert.Equal(App, Header(listed, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(listed, "Access-Control-Allow-Credentials"));
        Assert.Equal("http://localhost:5173", Header(await app.Client().SendAsync(Preflight("/api/v1/chats/new", "http://localhost:5173")), "Access-Control-Allow-Origin"));

        var other = await app.Client().SendAsync(Preflight("/api/v1/chats/new", "https://elsewhere.example"));
        Assert.Equal(204, (int)other.StatusCode);
        Assert.Null(Header(other, "Access-Control-Allow-Origin"));
        Assert.Null(Header(other, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task AStarBesideListedOriginsOpensTheRestWithoutCredentials()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["CORS_ALLOW_ORIGIN"] = $"*;{App}" });
        var listed = await app.Client().SendAsync(Preflight("/api/models", App, "GET"));
        Assert.Equal(App, Header(listed, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(listed, "Access-Control-Allow-Credentials"));
        var other = await app.Client().SendAsync(Preflight("/api/models", "https://elsewhere.example", "GET"));
        Assert.Equal("*", Header(other, "Access-Control-Allow-Origin"));
        Assert.Null(Header(other, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task WithoutSignInNoOtherPageMayCallUnlessListed()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["WEBUI_AUTH"] = "false" });
        // Any caller gets the built-in admin's token by signing in with nothing, so no other page may read that answer.
        using var signin = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auths/signin") { Content = JsonContent.Create(new { email = "", password = "" }) };
        signin.Headers.Add("Origin", "https://elsewhere.example");
        var session = await app.Client().SendAsync(signin);
        Assert.Null(Header(session, "Access-Control-Allow-Origin"));
        var token = (await Json.ReadObjectAsync(session, 200))["token"]!.GetValue<string>();
        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/chats/");
        get.Headers.Add("Origin", "https://elsewhere.example");
        get.Headers.Authorization = new("Bearer", token);
        var answer = await app.Client().SendAsync(get);
        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Null(Header(answer, "Access-Control-Allow-Origin"));
        Assert.Null(Header(await app.Client().SendAsync(Preflight("/api/v1/chats/new", "https://elsewhere.example")), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task BehindATrustedProxyLinksAndCookiesFollowTheBrowsersAddress()
    {
        await using var app = await StartAsync();
        var (chat, url, cookie) = await ThroughProxyAsync(app);
        Assert.StartsWith($"https://chat.example.com/api/conversations/{chat}/artifacts/", url.ToString());
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUntrustedSendersForwardedHeadersAreIgnored()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["FORWARDED_ALLOW_IPS"] = "10.1.2.3, 192.168.0.0/16" });
        var (_, url, cookie) = await ThroughProxyAsync(app);
        Assert.Equal(("http", app.BaseAddress.Authority), (url.Scheme, url.Authority));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ThePublicAddressNamesSignedUrlsWhateverTheRequestCameTo()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["WEBUI_URL"] = "https://hearth.example.org/" });
        var (chat, url, _) = await ThroughProxyAsync(app);
        Assert.StartsWith($"https://hearth.example.org/api/conversations/{chat}/artifacts/", url.ToString());
    }

    /// <summary>
    /// Ada signs up, uploads a file and asks for its signed URL, then signs in again, both through a proxy that says
    /// the browser asked for https://chat.example.com: the URL Hearth hands out and the cookie it sets.
    /// </summary>
    private static async Task<(string Chat, Uri SignedUrl, string Cookie)> ThroughProxyAsync(HearthApp app)
    {
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Embed");
        var item = await ArtifactUploads.UploadAsync(ada, chat, "chart.png", ArtifactUploads.Png);
        using var signed = new HttpRequestMessage(HttpMethod.Get, $"{item["url"]}/signed-url");
        Proxied(signed);
        var url = new Uri((await Json.ReadObjectAsync(await ada.Client.SendAsync(signed), 200))["url"]!.GetValue<string>());
        using var signin = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auths/signin")
        {
            Content = JsonContent.Create(new { email = "ada@example.com", password = "correct horse" }),
        };
        Proxied(signin);
        return (chat, url, Assert.Single((await app.Client().SendAsync(signin)).Headers.GetValues("Set-Cookie")));
    }

    private static void Proxied(HttpRequestMessage request)
    {
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "chat.example.com");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
    }
}

// On SQLite only: origins and proxies are settled in the HTTP pipeline, the same whatever the database.
public sealed class WebAccessTestsOnSqlite() : WebAccessTests(DatabaseKind.Sqlite);
