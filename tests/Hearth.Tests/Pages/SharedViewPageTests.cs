using System.Net;
using System.Net.Http.Json;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.Pages;

/// <summary>
/// <c>/s/{share_id}</c>, the read-only shared view (issue 14, item 7): whom the share's grants reach reads it with its
/// files, others get the not-found page, a visitor who is not signed in is sent to sign in unless
/// <c>ENABLE_PUBLIC_SHARES</c> is on, and a revoked link opens for nobody.
/// </summary>
public abstract class SharedViewPageTests(SharedApp shared)
{
    private async Task<(TestUser Owner, string ChatId, string ShareId, string FileId)> SharedChatAsync()
    {
        var owner = await shared.NewUserAsync("Owner");
        var chatId = (await ChatDocs.CreateAsync(owner, ChatDocs.Conversation("Shared title")))["id"]!.GetValue<string>();
        var fileId = Id(await UploadAsync(owner, chatId, "notes.txt", "the shared notes"));
        var shareId = (await Json.ReadObjectAsync(await owner.Client.PostAsync($"/api/v1/chats/{chatId}/share", null), 200))["id"]!.GetValue<string>();
        return (owner, chatId, shareId, fileId);
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        return await response.Content.ReadAsStringAsync();
    }

    private static void AssertSentToSignIn(HttpResponseMessage response, string path)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?next=" + Uri.EscapeDataString(path), response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AGranteeReadsTheSharedViewWithItsFilesAndOthersDoNot()
    {
        var app = shared.App;
        var (owner, chatId, shareId, fileId) = await SharedChatAsync();
        var reader = await shared.NewUserAsync("Reader");
        var stranger = await shared.NewUserAsync("Stranger");
        await Grants.ChatAsync(owner, chatId, ("user", reader.Id, "read"));

        var html = await ReadAsync(await app.BrowserClient(reader.Token).GetAsync($"/s/{shareId}"));
        Assert.Contains("Shared title", html);
        Assert.Contains("Shared conversation · read-only", html);
        Assert.Contains($"/api/conversations/{shareId}/artifacts/{fileId}", html);
        Assert.Equal("the shared notes", await app.BrowserClient(reader.Token).GetStringAsync($"/api/conversations/{shareId}/artifacts/{fileId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.BrowserClient(stranger.Token).GetAsync($"/s/{shareId}")).StatusCode);

        Assert.True((await Json.ReadAsync(await owner.Client.DeleteAsync($"/api/v1/chats/{chatId}/share"), 200))!.GetValue<bool>());
        var revoked = await app.BrowserClient(reader.Token).GetAsync($"/s/{shareId}");
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.Contains("Conversation not found", await revoked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AVisitorWhoIsNotSignedInReadsItOnlyWhilePublicSharesAreOn()
    {
        var app = shared.App;
        var (owner, chatId, shareId, fileId) = await SharedChatAsync();
        var visitor = app.BrowserClient();
        AssertSentToSignIn(await visitor.GetAsync($"/s/{shareId}"), $"/s/{shareId}");
        try
        {
            await SetPublicSharesAsync(true);
            var html = await ReadAsync(await visitor.GetAsync($"/s/{shareId}"));
            Assert.Contains("Shared title", html);
            Assert.DoesNotContain("id=\"signout\"", html);
            Assert.Equal("the shared notes", await visitor.GetStringAsync($"/api/conversations/{shareId}/artifacts/{fileId}"));
            // Public links open the snapshot, never the live chat or its read-only page.
            AssertSentToSignIn(await visitor.GetAsync($"/c/{chatId}"), $"/c/{chatId}");
            AssertSentToSignIn(await visitor.GetAsync($"/s/{chatId}"), $"/s/{chatId}");

            await owner.Client.DeleteAsync($"/api/v1/chats/{chatId}/share").SucceedsAsync();
            AssertSentToSignIn(await visitor.GetAsync($"/s/{shareId}"), $"/s/{shareId}");
        }
        finally
        {
            await SetPublicSharesAsync(false);
        }
    }

    [Fact]
    public async Task TheSharedViewIsTheSnapshotNotWhatTheOwnerWroteSince()
    {
        var (owner, chatId, shareId, _) = await SharedChatAsync();
        var reader = await shared.NewUserAsync("Reader");
        await Grants.ChatAsync(owner, chatId, ("user", reader.Id, "read"));
        var later = ChatDocs.Conversation("Renamed privately", pairs: 2);
        later["history"]!["messages"]!["u1"]!["content"] = "A private afterthought";
        await owner.Client.PostAsJsonAsync($"/api/v1/chats/{chatId}", new { chat = later }).SucceedsAsync();

        var html = await ReadAsync(await shared.App.BrowserClient(reader.Token).GetAsync($"/s/{shareId}"));
        Assert.Contains("Shared title", html);
        Assert.Contains("Question 0 about the quick brown fox", html);
        Assert.DoesNotContain("A private afterthought", html);
        Assert.DoesNotContain("Renamed privately", html);

        // Update link brings the snapshot, and so the page, up to date.
        await owner.Client.PostAsync($"/api/v1/chats/{chatId}/share", null).SucceedsAsync();
        html = await ReadAsync(await shared.App.BrowserClient(reader.Token).GetAsync($"/s/{shareId}"));
        Assert.Contains("A private afterthought", html);
        Assert.Contains("Renamed privately", html);
    }

    private async Task SetPublicSharesAsync(bool on) =>
        await Json.ReadObjectAsync(await shared.Ada.Client.PostAsJsonAsync("/api/v1/auths/admin/config",
            new Dictionary<string, bool> { ["ENABLE_PUBLIC_SHARES"] = on }), 200);
}

public sealed class SharedViewPageTestsOnSqlite(SharedApp.OnSqlite shared) : SharedViewPageTests(shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class SharedViewPageTestsOnPostgres(SharedApp.OnPostgres shared) : SharedViewPageTests(shared), IClassFixture<SharedApp.OnPostgres>;
