using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.KeyValue;

/// <summary>Who sees what: personal scopes are private (admins included), the shared scope is everyone's.</summary>
/// <remarks>
/// Tests that touch only their own users' personal keys, or are refused, share one server; those that use the
/// shared scope (one namespace for the whole server) start their own.
/// </remarks>
public abstract class KvIsolationTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string AccessProhibited =
        "You do not have permission to access this resource. Please contact your administrator for assistance.";

    [Fact]
    public async Task PersonalKeysAreInvisibleToAnotherUserAndToAnAdmin()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        var carol = await shared.NewUserAsync("Carol");
        await bob.Client.StoredAsync("diary", "personal", """{"secret": "bob's"}""");

        foreach (var other in new[] { admin, carol })
        {
            Assert.Null(await other.Client.ArtifactOrNullAsync("diary", "personal"));
            Assert.Empty(await other.Client.ListAsync("scope=personal"));
            await Json.ReadObjectAsync(await other.Client.DeleteArtifactAsync("diary", "personal"), 404);
            await Json.ReadObjectAsync(await other.Client.MergePatchAsync("diary", "personal", """{"secret": "changed"}"""), 404);
        }
        // The same key in another user's personal scope is another artifact.
        await admin.Client.StoredAsync("diary", "personal", """{"secret": "ada's"}""");
        Assert.Equal("bob's", (await bob.Client.ArtifactOrNullAsync("diary", "personal"))!["value"]!["secret"]!.GetValue<string>());
        Assert.Equal(1, (await bob.Client.ArtifactOrNullAsync("diary", "personal"))!["version"]!.GetValue<long>());
        Assert.Equal("ada's", (await admin.Client.ArtifactOrNullAsync("diary", "personal"))!["value"]!["secret"]!.GetValue<string>());
        // Nor is a personal key visible in the shared scope.
        Assert.Null(await bob.Client.ArtifactOrNullAsync("diary", "shared"));
    }

    [Fact]
    public async Task TheSharedScopeIsOneNamespaceForEveryUser()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        await admin.Client.StoredAsync("team-leaderboard", "shared", """{"scores": []}""");

        var seen = await bob.Client.ArtifactOrNullAsync("team-leaderboard", "shared");
        Assert.Equal(admin.Id, seen!["updated_by"]!.GetValue<string>());
        var updated = await bob.Client.StoredAsync("team-leaderboard", "shared", """{"scores": [{"user": "Bob", "points": 120}]}""");
        Assert.Equal(2, updated["version"]!.GetValue<long>());
        Assert.Equal(bob.Id, updated["updated_by"]!.GetValue<string>());
        Assert.Equal(seen["created_at"]!.GetValue<string>(), updated["created_at"]!.GetValue<string>());

        var listed = await admin.Client.ListAsync("scope=shared");
        Assert.Equal("team-leaderboard", Assert.Single(listed)!["key"]!.GetValue<string>());
        await Json.ReadObjectAsync(await admin.Client.DeleteArtifactAsync("team-leaderboard", "shared"), 200);
        Assert.Null(await bob.Client.ArtifactOrNullAsync("team-leaderboard", "shared"));
    }

    [Theory]
    [InlineData("POST", "/api/artifacts/store")]
    [InlineData("GET", "/api/artifacts/get?key=a&scope=personal")]
    [InlineData("GET", "/api/artifacts/list?scope=shared")]
    [InlineData("DELETE", "/api/artifacts/delete?key=a&scope=personal")]
    [InlineData("PATCH", "/api/artifacts/value?key=a&scope=personal")]
    [InlineData("POST", "/api/artifacts/batch")]
    [InlineData("GET", "/api/artifacts/watch?scope=shared")]
    public async Task RequestsWithoutCredentialsAre403AndPendingUsers401(string method, string path)
    {
        var app = shared.App;
        var pending = await shared.NewUserAsync("Pat", "pending");
        HttpRequestMessage Request() => new(new HttpMethod(method), path) { Content = Json.Raw("""{"key": "a", "scope": "shared", "value": 1}""") };
        await Json.AssertDetailAsync(await app.Client().SendAsync(Request()), 403, "Not authenticated");
        await Json.AssertDetailAsync(await pending.Client.SendAsync(Request()), 401, AccessProhibited);
        await Json.AssertDetailAsync(await app.Client("not-a-token").SendAsync(Request()), 401, "401 Unauthorized");
    }

    [Fact]
    public async Task DeletingAUserDeletesTheirPersonalArtifactsButNotTheSharedOnesTheyWrote()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        await bob.Client.StoredAsync("diary", "personal", "\"mine\"");
        await bob.Client.StoredAsync("notes", "personal", "\"also mine\"");
        await bob.Client.StoredAsync("wiki", "shared", "\"everyone's\"");
        await Json.ReadAsync(await admin.Client.DeleteAsync($"/api/v1/users/{bob.Id}"), 200);

        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM artifacts WHERE owner_id = @Id", new { bob.Id }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM artifact_usage WHERE owner_id = @Id", new { bob.Id }));
        var wiki = await admin.Client.ArtifactOrNullAsync("wiki", "shared");
        Assert.Equal("everyone's", wiki!["value"]!.GetValue<string>());
        Assert.Equal(bob.Id, wiki["updated_by"]!.GetValue<string>());
    }
}

public sealed class KvIsolationTestsOnSqlite(SharedApp.OnSqlite shared)
    : KvIsolationTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class KvIsolationTestsOnPostgres(SharedApp.OnPostgres shared)
    : KvIsolationTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
