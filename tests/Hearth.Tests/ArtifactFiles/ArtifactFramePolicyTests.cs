using System.Net;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Pages;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>
/// The headers that keep a stored file from sending anything elsewhere, and where its scripts may run: only
/// in a frame (Sec-Fetch-Dest), and an HTML file opened as a page is shown in Hearth's frame instead.
/// </summary>
public abstract class ArtifactFramePolicyTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string Page = "<!DOCTYPE html><html><head><title>app</title></head><body><script>document.title='ran'</script></body></html>";

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Contains(' ') ? d[(d.IndexOf(' ') + 1)..] : "");

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? destination)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (destination is not null)
        {
            request.Headers.Add("Sec-Fetch-Dest", destination);
        }
        return await client.SendAsync(request);
    }

    private static void AssertSendsNothingElsewhere(Dictionary<string, string> csp)
    {
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal("'none'", csp["connect-src"]);
        Assert.Equal("'none'", csp["form-action"]);
        Assert.Equal("'self' data: blob:", csp["img-src"]);
        Assert.DoesNotContain("https:", csp["script-src"].Split(' '));
    }

    [Fact]
    public async Task InAFrameAnHtmlPreviewRunsFormsAndDialogsButSendsNothingElsewhere()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Apps");
        var item = await UploadAsync(ada, chat, "app.html", Page);

        var framed = await GetAsync(ada.Client, item["url"]!.GetValue<string>() + "?inline=true", "iframe");
        Assert.Equal(HttpStatusCode.OK, framed.StatusCode);
        var csp = Directives(framed);
        Assert.Equal(["allow-scripts", "allow-forms", "allow-modals"], csp["sandbox"].Split(' '));
        AssertSendsNothingElsewhere(csp);
        Assert.Contains("Sec-Fetch-Dest", framed.Headers.Vary);
        var body = await framed.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/static/hearth-storage-bridge.js\"></script>", body);
        Assert.Contains("document.title='ran'", body);
    }

    [Fact]
    public async Task OutsideAFrameNothingRuns()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Pictures");
        var html = await UploadAsync(ada, chat, "app.html", Page);
        var svg = await UploadAsync(ada, chat, "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>top.location='https://evil.example'</script></svg>");
        var answers = new[]
        {
            await GetAsync(ada.Client, html["url"]!.GetValue<string>() + "?inline=true", null), // no Fetch Metadata: not known to be a frame
            await GetAsync(ada.Client, svg["url"]!.GetValue<string>() + "?inline=true", "document"),
            await GetAsync(ada.Client, svg["url"]!.GetValue<string>() + "?inline=true", "image"),
            await GetAsync(ada.Client, html["url"]!.GetValue<string>(), "document"), // a download
        };
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var csp = Directives(answer);
            Assert.Equal("", csp["sandbox"]);
            AssertSendsNothingElsewhere(csp);
        }
    }

    [Fact]
    public async Task AnHtmlArtifactOpenedAsAPageIsShownInHearthsFrameInItsKeySpace()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Apps");
        var item = await UploadAsync(ada, chat, "My <app> & co.html", Page);
        var name = item["name"]!.GetValue<string>();
        var url = item["url"]!.GetValue<string>() + "?inline=true";

        var page = await GetAsync(ada.Client, url, "document");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csp = Directives(page);
        Assert.Equal("'self'", csp["frame-src"]);
        Assert.Equal("'self'", csp["script-src"]);
        Assert.Equal("'self'", csp["frame-ancestors"]);
        Assert.False(csp.ContainsKey("sandbox"));
        Assert.Contains("Sec-Fetch-Dest", page.Headers.Vary);
        var body = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("document.title='ran'", body);
        Assert.Contains($"sandbox=\"{ArtifactFileResponses.FrameSandbox}\"", body);
        Assert.Contains($"data-src=\"{url}\"", body);
        Assert.Contains($"data-storage-space=\"{ArtifactFileKeySpace.For(chat, name)}\"", body);
        Assert.Contains($"<title>{Html.Encoder.Encode(name)} · Hearth</title>", body);
        Assert.DoesNotContain("<app>", body);

        // A signed URL opened in a browser: the frame asks for the same signed URL.
        var signed = (await Json.ReadObjectAsync(await ada.Client.GetAsync(item["url"]!.GetValue<string>() + "/signed-url"), 200))["url"]!.GetValue<string>();
        var path = new Uri(signed).PathAndQuery + "&inline=true";
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        var signedPage = await GetAsync(anonymous, path, "document");
        Assert.Equal(HttpStatusCode.OK, signedPage.StatusCode);
        Assert.Contains($"data-src=\"{path.Replace("&", "&amp;")}\"", await signedPage.Content.ReadAsStringAsync());
        var signedFrame = await GetAsync(anonymous, path, "iframe");
        Assert.Contains("document.title='ran'", await signedFrame.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheGalleryPreviewFramesTheArtifactInItsKeySpace()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Apps");
        var item = await UploadAsync(ada, chat, "app.html", Page);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };
        browser.DefaultRequestHeaders.Add("Cookie", $"token={ada.Token}");
        var fragment = await browser.GetStringAsync($"/artifacts/preview/{chat}/{Id(item)}");
        Assert.Contains($"sandbox=\"allow-scripts allow-forms allow-modals\"", fragment);
        Assert.Contains($"data-storage-space=\"{ArtifactFileKeySpace.For(chat, "app.html")}\"", fragment);
    }
}

// On SQLite only: these are the headers of a served file, the same whatever database holds its row.
public sealed class ArtifactFramePolicyTestsOnSqlite() : ArtifactFramePolicyTests(DatabaseKind.Sqlite);
