using System.Net;
using System.Net.Http.Json;
using Hearth.Server.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.Pages;

/// <summary>
/// <c>/c/{id}/artifacts/{message}/{n}</c>, what the chat app's artifacts panel opens (issue 14, item 5): the n-th
/// <c>html</c> or <c>svg</c> block of a reply, inside Hearth's page that answers its window.storage in the chat's reply
/// space; the block itself (<c>…/content</c>) runs only as a sandboxed frame of that page and is inert anywhere else.
/// An HTML file of the conversation gets the same page at <c>/c/{id}/files/{artifact}</c>. Nothing here depends on the
/// database, so it runs on SQLite only.
/// </summary>
public sealed class ReplyArtifactPageTests(SharedApp.OnSqlite shared) : IClassFixture<SharedApp.OnSqlite>
{
    private const string Reply = """
        Here it is:

        ```python
        print("not an artifact")
        ```

        ```HTML
        <!doctype html><html><head><title>Counter</title></head><body><p id="n">0</p></body></html>
        ```

        - and a picture:

          ```svg
          <svg xmlns="http://www.w3.org/2000/svg"><circle r="5"/></svg>
          ```
        """;

    private static HttpClient Browser(HearthApp app, string? token, string destination = "document")
    {
        var client = app.BrowserClient(token);
        client.DefaultRequestHeaders.Add("Sec-Fetch-Dest", destination);
        return client;
    }

    private async Task<(TestUser Owner, string ChatId)> ChatAsync()
    {
        var owner = await shared.NewUserAsync("Maker");
        var doc = ChatDocs.Conversation("Apps");
        doc["history"]!["messages"]!["a0"]!["content"] = Reply;
        return (owner, (await ChatDocs.CreateAsync(owner, doc))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheBlockIsFramedByHearthsPageWithTheChatsReplyStorage()
    {
        var (owner, chatId) = await ChatAsync();
        var response = await Browser(shared.App, owner.Token).GetAsync($"/c/{chatId}/artifacts/a0/0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self';", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"data-src=\"/c/{chatId}/artifacts/a0/0/content\"", page);
        Assert.Contains($"data-storage-space=\"{ArtifactFileKeySpace.ForReplies(chatId)}\"", page);
        Assert.Contains($"sandbox=\"{ArtifactFileResponses.FrameSandbox}\"", page);
        // Every block of the chat shares the space, and it is no file's.
        Assert.NotEqual(ArtifactFileKeySpace.ForReplies(chatId), ArtifactFileKeySpace.For(chatId, "replies"));
    }

    [Fact]
    public async Task AsAFrameTheBlockRunsSandboxedWithTheStorageBridge()
    {
        var (owner, chatId) = await ChatAsync();
        var html = await Browser(shared.App, owner.Token, "iframe").GetAsync($"/c/{chatId}/artifacts/a0/0/content");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(html.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith($"sandbox {ArtifactFileResponses.FrameSandbox};", policy);
        Assert.Contains("connect-src 'none'", policy);
        Assert.EndsWith("frame-ancestors 'self'", policy);
        Assert.Equal("nosniff", Assert.Single(html.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("Sec-Fetch-Dest", Assert.Single(html.Headers.Vary));
        Assert.Equal(
            $"<!doctype html><html><head><script src=\"{ArtifactFileResponses.BridgeScript}\"></script><title>Counter</title></head><body><p id=\"n\">0</p></body></html>",
            await html.Content.ReadAsStringAsync());

        // The second block, inside a list item, is the SVG; it is served as one.
        var svg = await Browser(shared.App, owner.Token, "iframe").GetAsync($"/c/{chatId}/artifacts/a0/1/content");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"5\"/></svg>", await svg.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("script")]
    public async Task OutsideAFrameNothingOfTheBlockRuns(string destination)
    {
        var (owner, chatId) = await ChatAsync();
        var response = await Browser(shared.App, owner.Token, destination).GetAsync($"/c/{chatId}/artifacts/a0/0/content");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ArtifactFileResponses.StaticPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task OpenedAsAPageTheBlockGetsHearthsPageAroundIt()
    {
        var (owner, chatId) = await ChatAsync();
        var response = await Browser(shared.App, owner.Token).GetAsync($"/c/{chatId}/artifacts/a0/0/content");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/c/{chatId}/artifacts/a0/0", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("a0", "2")]
    [InlineData("u0", "0")]
    [InlineData("missing", "0")]
    public async Task ABlockTheReplyDoesNotHaveIsNotFound(string messageId, string index)
    {
        var (owner, chatId) = await ChatAsync();
        foreach (var path in new[] { $"/c/{chatId}/artifacts/{messageId}/{index}", $"/c/{chatId}/artifacts/{messageId}/{index}/content" })
        {
            var response = await Browser(shared.App, owner.Token, "iframe").GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Artifact not found", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AnHtmlFileOfTheConversationGetsTheSamePageAndOtherFilesDoNot()
    {
        var (owner, chatId) = await ChatAsync();
        var app = Id(await UploadAsync(owner, chatId, "tracker.html", "<p>tracker</p>"));
        var notes = Id(await UploadAsync(owner, chatId, "notes.txt", "plain notes"));
        var response = await Browser(shared.App, owner.Token, "iframe").GetAsync($"/c/{chatId}/files/{app}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"data-src=\"/api/conversations/{chatId}/artifacts/{app}?inline=true\"", page);
        Assert.Contains($"data-storage-space=\"{ArtifactFileKeySpace.For(chatId, "tracker.html")}\"", page);
        Assert.Contains("<title>tracker.html · Hearth</title>", page);

        Assert.Equal(HttpStatusCode.NotFound, (await Browser(shared.App, owner.Token).GetAsync($"/c/{chatId}/files/{notes}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser(shared.App, owner.Token).GetAsync($"/c/{chatId}/files/missing")).StatusCode);
        var other = await shared.NewUserAsync("Other");
        Assert.Equal(HttpStatusCode.NotFound, (await Browser(shared.App, other.Token).GetAsync($"/c/{chatId}/files/{app}")).StatusCode);
    }

    [Fact]
    public async Task AShareReaderOpensTheSnapshotsBlockAGranteeAndAnAdminTheLiveOneUntilTheShareEnds()
    {
        var (owner, chatId) = await ChatAsync();
        var reader = await shared.NewUserAsync("Reader");
        var stranger = await shared.NewUserAsync("Stranger");
        var shareId = (await Json.ReadObjectAsync(await owner.Client.PostAsync($"/api/v1/chats/{chatId}/share", null), 200))["share_id"]!.GetValue<string>();
        await Grants.ChatAsync(owner, chatId, ("user", reader.Id, "read"));
        // The owner rewrites the reply after sharing: the link keeps showing what was shared.
        var rewritten = Reply.Replace("Counter", "Rewritten", StringComparison.Ordinal);
        await owner.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}/messages/a0", new { role = "assistant", content = rewritten }).SucceedsAsync();

        async Task<string> BlockAsync(TestUser user, string conversation, HttpStatusCode expected)
        {
            var response = await Browser(shared.App, user.Token, "iframe").GetAsync($"/c/{conversation}/artifacts/a0/0/content");
            Assert.Equal(expected, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("<title>Counter</title>", await BlockAsync(reader, shareId, HttpStatusCode.OK));
        Assert.Contains("<title>Rewritten</title>", await BlockAsync(reader, chatId, HttpStatusCode.OK));
        Assert.Contains("<title>Rewritten</title>", await BlockAsync(shared.Ada, chatId, HttpStatusCode.OK));
        Assert.DoesNotContain("Counter", await BlockAsync(stranger, shareId, HttpStatusCode.NotFound));
        // The page around it answers window.storage in the chat's space, whichever address it was opened by.
        var page = await Browser(shared.App, reader.Token).GetStringAsync($"/c/{shareId}/artifacts/a0/0");
        Assert.Contains($"data-storage-space=\"{ArtifactFileKeySpace.ForReplies(chatId)}\"", page);

        Assert.True((await Json.ReadAsync(await owner.Client.DeleteAsync($"/api/v1/chats/{chatId}/share"), 200))!.GetValue<bool>());
        Assert.DoesNotContain("Counter", await BlockAsync(reader, shareId, HttpStatusCode.NotFound));
        Assert.DoesNotContain("Rewritten", await BlockAsync(reader, chatId, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task AnotherUsersChatLooksMissingAndAStrangerIsSentToSignIn()
    {
        var (_, chatId) = await ChatAsync();
        var other = await shared.NewUserAsync("Other");
        var path = $"/c/{chatId}/artifacts/a0/0/content";
        var foreign = await Browser(shared.App, other.Token, "iframe").GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("Counter", await foreign.Content.ReadAsStringAsync());
        var stranger = await Browser(shared.App, null, "iframe").GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
        Assert.StartsWith("/signin?next=", stranger.Headers.Location?.OriginalString);
    }
}
