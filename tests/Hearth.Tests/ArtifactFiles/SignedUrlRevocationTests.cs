using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>
/// A signed URL is worth what its issuer's credential is worth now: it stops working, well before it
/// expires, when that session signs out, the password changes, the issuer is demoted or deleted, or the API
/// key that signed it is deleted; nothing else ends it.
/// </summary>
public abstract class SignedUrlRevocationTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task<string> SignAsync(HttpClient client, JsonObject item)
    {
        var signed = await Json.ReadObjectAsync(await client.GetAsync($"{item["url"]}/signed-url?expires_in=86400"), 200);
        return new Uri(signed["url"]!.GetValue<string>()).PathAndQuery;
    }

    private static async Task AssertWorksAsync(HearthApp app, string url)
    {
        var response = await app.Client().GetAsync(url);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("hello"u8.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task AssertDeadAsync(HearthApp app, string url) =>
        await Json.AssertDetailAsync(await app.Client().GetAsync(url), 403, "Not authenticated");

    private static async Task<(TestUser Bob, JsonObject Item)> BobWithAFileAsync(HearthApp app, TestUser admin)
    {
        var bob = await app.AddUserAsync(admin, "Bob");
        var chat = await ChatDocs.CreateIdAsync(bob, "Bob's");
        return (bob, await UploadAsync(bob, chat, "note.txt", "hello"));
    }

    [Fact]
    public async Task SigningOutEndsTheUrlsThatSessionSignedButNotThoseOfAnotherSession()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var (bob, item) = await BobWithAFileAsync(app, ada);
        var laptop = await app.SignInAsync(bob.Email, bob.Password);
        var fromPhone = await SignAsync(bob.Client, item);
        var fromLaptop = await SignAsync(laptop.Client, item);
        await AssertWorksAsync(app, fromPhone);
        // The sealed issuer does not show the session id.
        Assert.DoesNotContain("session", Uri.UnescapeDataString(fromPhone));

        await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/auths/signout"), 200);
        await AssertDeadAsync(app, fromPhone);
        await AssertWorksAsync(app, fromLaptop);
    }

    [Fact]
    public async Task AChangedPasswordEndsTheUrlsEvenOfTheSessionThatChangedIt()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var (bob, item) = await BobWithAFileAsync(app, ada);
        var url = await SignAsync(bob.Client, item);
        await AssertWorksAsync(app, url);
        await Json.ReadAsync(await bob.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = bob.Password, new_password = "a new secret" }), 200);
        // The session that changed the password lives on; its old URLs do not.
        await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/auths/"), 200);
        await AssertDeadAsync(app, url);
        await AssertWorksAsync(app, await SignAsync(bob.Client, item));
    }

    [Fact]
    public async Task DemotionToPendingEndsTheUrlsForGood()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var (bob, item) = await BobWithAFileAsync(app, ada);
        var url = await SignAsync(bob.Client, item);
        await Json.ReadAsync(await ada.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { role = "pending" }), 200);
        await AssertDeadAsync(app, url);
        await Json.ReadAsync(await ada.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { role = "user" }), 200);
        await AssertDeadAsync(app, url);
    }

    [Fact]
    public async Task DeletingTheIssuerEndsTheUrls()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var (bob, item) = await BobWithAFileAsync(app, ada);
        var url = await SignAsync(bob.Client, item);
        await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/users/{bob.Id}"), 200);
        await AssertDeadAsync(app, url);
    }

    [Fact]
    public async Task UrlsSignedWithAnApiKeyEndWithTheKey()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var (bob, item) = await BobWithAFileAsync(app, ada);
        var key = (await Json.ReadObjectAsync(await bob.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        var url = await SignAsync(app.Client(key), item);
        await AssertWorksAsync(app, url);
        await Json.ReadAsync(await bob.Client.DeleteAsync("/api/v1/auths/api_key"), 200);
        await AssertDeadAsync(app, url);
    }

    [Fact]
    public async Task ATamperedIssuerIsRefused()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var (bob, item) = await BobWithAFileAsync(app, ada);
        var url = await SignAsync(bob.Client, item);
        var by = System.Web.HttpUtility.ParseQueryString(new Uri(app.BaseAddress, url).Query)["by"]!;
        var other = await SignAsync(ada.Client, await UploadAsync(ada, await ChatDocs.CreateIdAsync(ada, "Ada's"), "a.txt"));
        var adasBy = System.Web.HttpUtility.ParseQueryString(new Uri(app.BaseAddress, other).Query)["by"]!;
        await AssertDeadAsync(app, url.Replace(by, adasBy));
        await AssertDeadAsync(app, url.Replace($"by={by}&", ""));
    }
}

public sealed class SignedUrlRevocationTestsOnSqlite() : SignedUrlRevocationTests(DatabaseKind.Sqlite);
public sealed class SignedUrlRevocationTestsOnPostgres() : SignedUrlRevocationTests(DatabaseKind.Postgres);
