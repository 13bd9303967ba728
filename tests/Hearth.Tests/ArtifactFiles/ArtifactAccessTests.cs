using System.Net.Http.Json;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>Who may read and change a conversation's artifacts: exactly as the chats API decides who may read a chat.</summary>
public abstract class ArtifactAccessTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string NotFound = "We could not find what you're looking for :/";

    [Fact]
    public async Task AnotherUserGetsTheChatsApisAnswerOnEveryRoute()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var chat = await ChatDocs.CreateIdAsync(bob, "Bob's secrets");
        var item = await UploadAsync(bob, chat, "secret.txt");
        var carol = await app.AddUserAsync(ada, "Carol");
        var url = item["url"]!.GetValue<string>();

        await Json.AssertDetailAsync(await carol.Client.GetAsync($"/api/v1/chats/{chat}"), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.GetAsync(url), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.GetAsync(url + "?inline=true"), 401, NotFound);
        await Json.AssertDetailAsync(await PostAsync(carol.Client, chat, "x.txt", [1]), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.DeleteAsync(url), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.GetAsync(url + "/signed-url"), 401, NotFound);
        Assert.Equal(0, (await Json.ReadObjectAsync(await carol.Client.GetAsync($"/api/artifacts?conversation_id={chat}"), 200))["total"]!.GetValue<long>());
        Assert.Single(FilesOnDisk(app, chat));
    }

    [Fact]
    public async Task WithoutCredentialsEveryRouteAnswersNotAuthenticated()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Mine");
        var url = (await UploadAsync(ada, chat, "mine.txt"))["url"]!.GetValue<string>();
        var anonymous = app.Client();
        await Json.AssertDetailAsync(await anonymous.GetAsync($"/api/conversations/{chat}/artifacts"), 403, "Not authenticated");
        await Json.AssertDetailAsync(await anonymous.GetAsync(url), 403, "Not authenticated");
        await Json.AssertDetailAsync(await PostAsync(anonymous, chat, "x.txt", [1]), 403, "Not authenticated");
        await Json.AssertDetailAsync(await anonymous.DeleteAsync(url), 403, "Not authenticated");
        await Json.AssertDetailAsync(await app.Client("forged").GetAsync(url), 401, "401 Unauthorized");
    }

    [Fact]
    public async Task UnknownIdsAreNotFound()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Mine");
        var missing = Guid.NewGuid();
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/conversations/{missing}/artifacts"), 401, NotFound);
        await Json.AssertDetailAsync(await PostAsync(ada.Client, missing.ToString(), "x.txt", [1]), 401, NotFound);
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts/{missing}"), 404, NotFound);
        await Json.AssertDetailAsync(await ada.Client.DeleteAsync($"/api/conversations/{chat}/artifacts/{missing}"), 404, NotFound);
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts/{missing}/signed-url"), 404, NotFound);
    }

    [Fact]
    public async Task AnAdminReadsAndDeletesOnlyWhileAdminChatAccessIsOn()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var chat = await ChatDocs.CreateIdAsync(bob, "Bob's");
        var item = await UploadAsync(bob, chat, "bob.txt", "bob's text");
        Assert.Single((await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200))!.AsArray());
        Assert.Equal("bob's text", await (await ada.Client.GetAsync(item["url"]!.GetValue<string>())).Content.ReadAsStringAsync());
        // The admin's upload belongs to the conversation's owner.
        var added = await UploadAsync(ada, chat, "from-admin.txt");
        Assert.Equal(2, (await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/artifacts"), 200))["total"]!.GetValue<long>());
        await Json.ReadAsync(await ada.Client.DeleteAsync(added["url"]!.GetValue<string>()), 200);

        await using var closed = await StartAsync(new Dictionary<string, string?> { ["ENABLE_ADMIN_CHAT_ACCESS"] = "false" });
        var admin = await closed.SignUpAsync("Ada");
        var user = await closed.AddUserAsync(admin, "Bob");
        var private1 = await ChatDocs.CreateIdAsync(user, "Private");
        var url = (await UploadAsync(user, private1, "p.txt"))["url"]!.GetValue<string>();
        await Json.AssertDetailAsync(await admin.Client.GetAsync($"/api/conversations/{private1}/artifacts"), 401, NotFound);
        await Json.AssertDetailAsync(await admin.Client.GetAsync(url), 401, NotFound);
        await Json.AssertDetailAsync(await admin.Client.DeleteAsync(url), 401, NotFound);
    }

    [Fact]
    public async Task APendingUserIsRefusedAsTheChatsApiRefusesThem()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Mine");
        var url = (await UploadAsync(ada, chat, "mine.txt"))["url"]!.GetValue<string>();
        var pending = await app.SignUpAsync("Pat");
        const string prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";
        await Json.AssertDetailAsync(await pending.Client.GetAsync("/api/artifacts"), 401, prohibited);
        await Json.AssertDetailAsync(await pending.Client.GetAsync(url), 401, prohibited);
    }

    [Fact]
    public async Task ASharedConversationsArtifactsAreReadableThroughItsShareOnly()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var carol = await app.AddUserAsync(ada, "Carol");
        var chat = await ChatDocs.CreateIdAsync(ada, "Shared report");
        var item = await UploadAsync(ada, chat, "report.html", "<p>report</p>");
        var shareId = (await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{chat}/share", null), 200))["id"]!.GetValue<string>();
        // A share is a snapshot (with the chats' one-second resolution): later files are not part of it.
        clock.Advance(TimeSpan.FromSeconds(2));
        await UploadAsync(ada, chat, "after-sharing.txt");
        // The link alone opens nothing (Open WebUI 0.11): only those the chat's grants reach.
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/conversations/{shareId}/artifacts"), 401, NotFound);
        await ChatShareGrantTests.GrantAsync(ada, chat, ("user", bob.Id, "read"));

        var listed = (await Json.ReadAsync(await bob.Client.GetAsync($"/api/conversations/{shareId}/artifacts"), 200))!.AsArray();
        var seen = Assert.Single(listed)!;
        Assert.Equal("report.html", seen["name"]!.GetValue<string>());
        Assert.Equal($"/api/conversations/{shareId}/artifacts/{Id(item)}", seen["url"]!.GetValue<string>());
        Assert.Equal("<p>report</p>", await (await bob.Client.GetAsync(seen["url"]!.GetValue<string>())).Content.ReadAsStringAsync());
        // A grantee reads the live chat (as GET /api/v1/chats/{id} answers them), so its files too, but writes none.
        Assert.Equal("<p>report</p>", await (await bob.Client.GetAsync(item["url"]!.GetValue<string>())).Content.ReadAsStringAsync());
        Assert.Equal(2, (await Json.ReadAsync(await bob.Client.GetAsync($"/api/conversations/{chat}/artifacts"), 200))!.AsArray().Count);
        await Json.AssertDetailAsync(await PostAsync(bob.Client, chat, "x.txt", [1]), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.GetAsync(item["url"]!.GetValue<string>()), 401, NotFound);
        await Json.AssertDetailAsync(await carol.Client.GetAsync(seen["url"]!.GetValue<string>()), 401, NotFound);
        await Json.AssertDetailAsync(await PostAsync(bob.Client, shareId, "x.txt", [1]), 401, NotFound);
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync(seen["url"]!.GetValue<string>()), 401, NotFound);
        await Json.AssertDetailAsync(await app.Client().GetAsync($"/api/conversations/{shareId}/artifacts"), 403, "Not authenticated");

        await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/chats/{chat}/share"), 200);
        await Json.AssertDetailAsync(await bob.Client.GetAsync(seen["url"]!.GetValue<string>()), 401, NotFound);
        await Json.AssertDetailAsync(await bob.Client.GetAsync(item["url"]!.GetValue<string>()), 401, NotFound);
    }
}

public sealed class ArtifactAccessTestsOnSqlite() : ArtifactAccessTests(DatabaseKind.Sqlite);
public sealed class ArtifactAccessTestsOnPostgres() : ArtifactAccessTests(DatabaseKind.Postgres);
