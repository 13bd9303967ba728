using System.Net.Http.Json;
using System.Text;
using Hearth.Server.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>The routes' happy paths: upload, the item shape, downloads and previews with their headers, delete.</summary>
public abstract class ArtifactFileApiTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task AnUploadAnswersTheItemAndLandsInTheSeedsFolderUnderAUuidName()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Sales report");
        var item = await UploadAsync(ada, chat, "Quarterly chart.png", Png, "image/png");

        Assert.Equal("Quarterly chart.png", item["name"]!.GetValue<string>());
        Assert.Equal("image/png", item["mime_type"]!.GetValue<string>());
        Assert.Equal("images", item["type"]!.GetValue<string>());
        Assert.Equal(Png.Length, item["size"]!.GetValue<long>());
        Assert.Equal(chat, item["conversation_id"]!.GetValue<string>());
        Assert.Equal("Sales report", item["conversation_title"]!.GetValue<string>());
        Assert.Null(item["message_id"]);
        Assert.Equal($"/api/conversations/{chat}/artifacts/{Id(item)}", item["url"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item["created_at"]!.GetValue<string>());
        Assert.Equal(["id", "name", "mime_type", "type", "size", "created_at", "conversation_id", "conversation_title", "message_id", "url"],
            item.Select(p => p.Key));

        var stored = Assert.Single(FilesOnDisk(app, chat));
        Assert.Equal($"{Id(item)}.png", Path.GetFileName(stored));
        Assert.True(Guid.TryParse(Id(item), out _));
        Assert.Equal(Png, await File.ReadAllBytesAsync(stored));
    }

    [Fact]
    public async Task DownloadsCarryTheOriginalNameAndNeverRunAsHearthsPages()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Report");
        const string page = "<!DOCTYPE html><html><head><title>r</title></head><body><script>document.title='ran'</script></body></html>";
        var item = await UploadAsync(ada, chat, "Résumé report.html", page);

        var download = await ada.Client.GetAsync(item["url"]!.GetValue<string>());
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal(page, await download.Content.ReadAsStringAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Résumé report.html", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(ArtifactFileResponses.DownloadPolicy, Assert.Single(download.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("text/html", download.Content.Headers.ContentType!.MediaType);

        var framed = new HttpRequestMessage(HttpMethod.Get, item["url"]!.GetValue<string>() + "?inline=true");
        framed.Headers.Add("Sec-Fetch-Dest", "iframe");
        var preview = await ada.Client.SendAsync(framed);
        Assert.Equal(200, (int)preview.StatusCode);
        Assert.Equal("inline", preview.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(ArtifactFileResponses.FramePolicy, Assert.Single(preview.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(preview.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<script>document.title='ran'</script>", await preview.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SvgPreviewsAreSandboxedAndImagesServeTheirBytes()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Pictures");
        var svg = await UploadAsync(ada, chat, "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
        var preview = await ada.Client.GetAsync(svg["url"]!.GetValue<string>() + "?inline=true");
        Assert.Equal("image/svg+xml", preview.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ArtifactFileResponses.StaticPolicy, Assert.Single(preview.Headers.GetValues("Content-Security-Policy")));

        var png = await UploadAsync(ada, chat, "dot.png", Png);
        var image = await ada.Client.GetAsync(png["url"]!.GetValue<string>() + "?inline=true");
        Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(image.Headers.ETag);
    }

    [Fact]
    public async Task AConversationListsItsArtifactsInCreationOrder()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Many");
        var other = await ChatDocs.CreateIdAsync(ada, "Other");
        foreach (var name in new[] { "first.py", "second.csv", "third.md" })
        {
            await UploadAsync(ada, chat, name);
        }
        await UploadAsync(ada, other, "elsewhere.txt");
        var listed = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200))!.AsArray();
        Assert.Equal(["first.py", "second.csv", "third.md"], listed.Select(i => i!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeletingAnArtifactRemovesItsRowAndFile()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Temp");
        var keep = await UploadAsync(ada, chat, "keep.txt");
        var gone = await UploadAsync(ada, chat, "gone.txt");
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync(gone["url"]!.GetValue<string>()), 200))!.GetValue<bool>());
        Assert.Equal($"{Id(keep)}.txt", Path.GetFileName(Assert.Single(FilesOnDisk(app, chat))));
        await Json.AssertDetailAsync(await ada.Client.GetAsync(gone["url"]!.GetValue<string>()), 404, "We could not find what you're looking for :/");
        await Json.AssertDetailAsync(await ada.Client.DeleteAsync(gone["url"]!.GetValue<string>()), 404, "We could not find what you're looking for :/");
        Assert.Single((await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200))!.AsArray());
    }

    [Fact]
    public async Task AMessagesFilesListReferencesItsArtifactUntilItIsDeleted()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Plot");
        var item = await UploadAsync(ada, chat, "plot.png", "png-bytes", "image/png", messageId: "a0");
        Assert.Equal("a0", item["message_id"]!.GetValue<string>());
        var files = (await ChatDocs.GetAsync(ada, chat))["chat"]!["history"]!["messages"]!["a0"]!["files"]!.AsArray();
        var file = Assert.Single(files)!;
        Assert.Equal(Id(item), file["id"]!.GetValue<string>());
        Assert.Equal("image", file["type"]!.GetValue<string>());
        Assert.Equal(item["url"]!.GetValue<string>(), file["url"]!.GetValue<string>());

        await Json.ReadAsync(await ada.Client.DeleteAsync(item["url"]!.GetValue<string>()), 200);
        Assert.Empty((await ChatDocs.GetAsync(ada, chat))["chat"]!["history"]!["messages"]!["a0"]!["files"]!.AsArray());
    }

    [Fact]
    public async Task SignedUrlsWorkWithoutCredentialsOnlyForTheirArtifactAndUntilTheyExpire()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Embed");
        var item = await UploadAsync(ada, chat, "chart.png", Png);
        var other = await UploadAsync(ada, chat, "other.png", Png);
        var signed = await Json.ReadObjectAsync(await ada.Client.GetAsync($"{item["url"]}/signed-url?expires_in=60"), 200);
        var url = new Uri(signed["url"]!.GetValue<string>());
        Assert.Equal(app.BaseAddress.Port, url.Port);

        var anonymous = app.Client();
        Assert.Equal(Png, await (await anonymous.GetAsync(url.PathAndQuery)).Content.ReadAsByteArrayAsync());
        await Json.AssertDetailAsync(await anonymous.GetAsync(url.PathAndQuery.Replace(Id(item), Id(other))), 403, "Not authenticated");
        await Json.AssertDetailAsync(await anonymous.GetAsync(url.PathAndQuery[..^3] + "AAA"), 403, "Not authenticated");
        clock.Advance(TimeSpan.FromSeconds(61));
        await Json.AssertDetailAsync(await anonymous.GetAsync(url.PathAndQuery), 403, "Not authenticated");
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync($"{item["url"]}/signed-url?expires_in=0"));
    }
}

public sealed class ArtifactFileApiTestsOnSqlite() : ArtifactFileApiTests(DatabaseKind.Sqlite);
public sealed class ArtifactFileApiTestsOnPostgres() : ArtifactFileApiTests(DatabaseKind.Postgres);
