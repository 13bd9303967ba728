using System.Net;
using System.Text.RegularExpressions;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.Pages;

/// <summary>
/// The gallery page over plain HTTP: a preview's own address (<c>?open=chat/artifact</c>) draws it open, for the
/// reader's own files only; text cards carry their first lines, cut to a few short lines whatever the file's size.
/// </summary>
public abstract partial class GalleryPageHttpTests(SharedApp shared)
{
    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("""<div id="preview" class="preview"[^>]*>""")]
    private static partial Regex Dialog();

    [Fact]
    public async Task APreviewsAddressDrawsItOpenForItsReaderOnly()
    {
        var ada = await shared.NewUserAsync("Ada");
        var eve = await shared.NewUserAsync("Eve");
        var chatId = (await ChatDocs.CreateAsync(ada, ChatDocs.Conversation("Notes")))["id"]!.GetValue<string>();
        var fileId = Id(await UploadAsync(ada, chatId, "notes.md", "# Heading of the notes"));
        var open = "/artifacts?type=all&open=" + Uri.EscapeDataString($"{chatId}/{fileId}");

        var html = await PageAsync(shared.App.BrowserClient(ada.Token), open);
        var dialog = Dialog().Match(html).Value;
        Assert.DoesNotContain("hidden", dialog);
        Assert.Contains($"data-key=\"{chatId}/{fileId}\"", dialog);
        Assert.Contains("<h1>Heading of the notes</h1>", html);

        // Someone else's file, a malformed or unknown address: the gallery, with nothing open and nothing told.
        foreach (var other in new[] { open, "/artifacts?open=nonsense", $"/artifacts?open={chatId}/missing", "/artifacts?open=/" })
        {
            var page = await PageAsync(shared.App.BrowserClient(eve.Token), other);
            Assert.Contains("hidden", Dialog().Match(page).Value);
            Assert.DoesNotContain("Heading of the notes", page);
        }
    }

    [Fact]
    public async Task TextCardsShowTheirFirstLinesEncodedAndCut()
    {
        var ada = await shared.NewUserAsync("Ada");
        var chatId = (await ChatDocs.CreateAsync(ada, ChatDocs.Conversation("Code")))["id"]!.GetValue<string>();
        var lines = Enumerable.Range(1, 5000).Select(i => $"line {i} <b>" + new string('x', 300)).ToList();
        await UploadAsync(ada, chatId, "big.txt", "\n\n" + string.Join("\n", lines));
        await UploadAsync(ada, chatId, "blob.zip", [0x50, 0x4B, 0x03, 0x04, 0xFF]);

        var html = await PageAsync(shared.App.BrowserClient(ada.Token), "/artifacts");
        var snippet = Assert.Single(SnippetPattern().Matches(html)).Groups[1].Value;
        Assert.Contains("&lt;b&gt;", snippet);
        var shown = WebUtility.HtmlDecode(snippet).Split('\n');
        // 2 KB read, so seven of these long lines, the last one cut where the bytes stopped.
        Assert.Equal(7, shown.Length);
        Assert.StartsWith("line 1 <b>xxx", shown[0]);
        Assert.All(shown, line => Assert.EndsWith("…", line));
        Assert.All(shown, line => Assert.True(line.Length <= CardLine, line));
        // The fragment of later cards carries them too.
        Assert.Contains("line 1 &lt;b&gt;", await PageAsync(shared.App.BrowserClient(ada.Token), "/artifacts/cards?page=1"));
    }

    /// <summary>120 characters and the ellipsis.</summary>
    private const int CardLine = 121;

    [GeneratedRegex("""<pre class="snippet" aria-hidden="true">([^<]*)</pre>""")]
    private static partial Regex SnippetPattern();
}

public sealed class GalleryPageHttpTestsOnSqlite(SharedApp.OnSqlite shared) : GalleryPageHttpTests(shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class GalleryPageHttpTestsOnPostgres(SharedApp.OnPostgres shared) : GalleryPageHttpTests(shared), IClassFixture<SharedApp.OnPostgres>;
