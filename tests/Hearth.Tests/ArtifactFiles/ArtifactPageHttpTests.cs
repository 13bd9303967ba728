using System.Net;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>The pages over plain HTTP: who gets them, their security headers, the assets, and other users' conversations.</summary>
public abstract class ArtifactPageHttpTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task PagesSendBrowsersWithoutASessionToSignInAndComeBack()
    {
        await using var app = await StartAsync();
        await app.SignUpAsync("Ada");
        var response = await app.BrowserClient().GetAsync("/artifacts?type=code");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?next=%2Fartifacts%3Ftype%3Dcode", response.Headers.Location!.OriginalString);
        var signin = await app.BrowserClient().GetAsync("/signin?next=//evil.example");
        Assert.Equal(HttpStatusCode.OK, signin.StatusCode);
        Assert.Contains("data-next=\"/\"", await signin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PagesAllowOnlyHearthsOwnScriptsAndTheCookieOpensThem()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "<script>alert(1)</script>");
        await UploadAsync(ada, chat, "<img src=x onerror=alert(1)>.png", Png);
        var page = await app.BrowserClient(ada.Token).GetAsync("/artifacts");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("default-src 'self'", csp);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);

        var conversation = await app.BrowserClient(ada.Token).GetAsync($"/c/{chat}");
        Assert.Equal(HttpStatusCode.OK, conversation.StatusCode);
        Assert.Contains("attachment-name", await conversation.Content.ReadAsStringAsync());
        var script = await app.BrowserClient().GetAsync("/assets/gallery.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", Assert.Single(script.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(HttpStatusCode.NotFound, (await app.BrowserClient().GetAsync("/assets/missing.js")).StatusCode);
    }

    [Fact]
    public async Task AnotherUsersConversationPageAndPreviewsAreNotFound()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var chat = await ChatDocs.CreateIdAsync(bob, "Bob's");
        var item = await UploadAsync(bob, chat, "bob.md", "# secret");
        var carol = await app.AddUserAsync(ada, "Carol");
        Assert.Equal(HttpStatusCode.NotFound, (await app.BrowserClient(carol.Token).GetAsync($"/c/{chat}")).StatusCode);
        var preview = await app.BrowserClient(carol.Token).GetAsync($"/artifacts/preview/{chat}/{Id(item)}");
        Assert.Equal(HttpStatusCode.NotFound, preview.StatusCode);
        Assert.DoesNotContain("secret", await preview.Content.ReadAsStringAsync());
        var own = await app.BrowserClient(bob.Token).GetAsync($"/artifacts/preview/{chat}/{Id(item)}");
        Assert.Contains("<h1", await own.Content.ReadAsStringAsync());
    }
}

public sealed class ArtifactPageHttpTestsOnSqlite() : ArtifactPageHttpTests(DatabaseKind.Sqlite);
public sealed class ArtifactPageHttpTestsOnPostgres() : ArtifactPageHttpTests(DatabaseKind.Postgres);
