using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>Versions, ETags and the If-Match / If-None-Match / expected_version preconditions (412 with the current artifact).</summary>
public abstract class KvPreconditionTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task IfMatchWritesOnlyOverTheNamedVersion()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "shared", """{"text": "v1"}""");
        var second = await ada.Client.StoreAsync("doc", "shared", """{"text": "v2"}""", ifMatch: "\"1\"");
        Assert.Equal("\"2\"", second.Headers.ETag?.ToString());
        Assert.Equal(2, (await Json.ReadObjectAsync(second, 200))["artifact"]!["version"]!.GetValue<long>());

        var stale = await ada.Client.StoreAsync("doc", "shared", """{"text": "lost"}""", ifMatch: "\"1\"");
        var current = await Json.ReadObjectAsync(stale, 412);
        Assert.Equal(2, current["version"]!.GetValue<long>());
        Assert.Equal("v2", current["value"]!["text"]!.GetValue<string>());
        Assert.Equal("doc", current["key"]!.GetValue<string>());

        await Json.ReadObjectAsync(await ada.Client.StoreAsync("doc", "shared", "3", ifMatch: "\"7\", \"2\""), 200);
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("doc", "shared", "4", ifMatch: "*"), 200);
        // If-Match compares strongly: a weak tag never matches.
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("doc", "shared", "5", ifMatch: "W/\"4\""), 412);
        Assert.Equal("4", (await ada.Client.ArtifactOrNullAsync("doc", "shared"))!["value"]!.ToJsonString());
    }

    [Fact]
    public async Task IfMatchOnAMissingArtifactIs412WithANullBody()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        foreach (var tag in new[] { "\"1\"", "*" })
        {
            var response = await ada.Client.StoreAsync("nothing", "personal", "1", ifMatch: tag);
            Assert.Equal(412, (int)response.StatusCode);
            Assert.Equal("null", await response.Content.ReadAsStringAsync());
        }
        Assert.Null(await ada.Client.ArtifactOrNullAsync("nothing", "personal"));
    }

    [Fact]
    public async Task IfNoneMatchStarAndExpectedVersionZeroCreateOnly()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("once", "shared", "\"first\"", ifNoneMatch: "*"), 200);
        var refused = await Json.ReadObjectAsync(await ada.Client.StoreAsync("once", "shared", "\"second\"", ifNoneMatch: "*"), 412);
        Assert.Equal("first", refused["value"]!.GetValue<string>());
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("once", "shared", "\"third\"", expectedVersion: 0), 412);
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("twice", "shared", "\"first\"", expectedVersion: 0), 200);
        // If-None-Match with a tag refuses exactly that version.
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("once", "shared", "\"fourth\"", ifNoneMatch: "\"1\""), 412);
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("once", "shared", "\"fifth\"", ifNoneMatch: "\"9\""), 200);
    }

    [Fact]
    public async Task ExpectedVersionInTheBodyActsLikeIfMatch()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("counter", "personal", """{"count": 0}""");
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("counter", "personal", """{"count": 1}""", expectedVersion: 1), 200);
        var stale = await Json.ReadObjectAsync(await ada.Client.StoreAsync("counter", "personal", """{"count": 1}""", expectedVersion: 1), 412);
        Assert.Equal(1, stale["value"]!["count"]!.GetValue<int>());
        Assert.Equal(2, stale["version"]!.GetValue<long>());
        // Both given: both must hold.
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("counter", "personal", "2", ifMatch: "\"2\"", expectedVersion: 1), 412);
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("counter", "personal", "2", ifMatch: "\"2\"", expectedVersion: 2), 200);
    }

    [Fact]
    public async Task DeleteHonoursIfMatch()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "personal", "1");
        await ada.Client.StoredAsync("doc", "personal", "2");
        var refused = await Json.ReadObjectAsync(await ada.Client.DeleteArtifactAsync("doc", "personal", ifMatch: "\"1\""), 412);
        Assert.Equal(2, refused["version"]!.GetValue<long>());
        await Json.ReadObjectAsync(await ada.Client.DeleteArtifactAsync("doc", "personal", ifMatch: "\"2\""), 200);
        Assert.Null(await ada.Client.ArtifactOrNullAsync("doc", "personal"));
    }

    [Fact]
    public async Task OfTwoWritersHoldingTheSameVersionExactlyOneWins()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ada.Client.StoredAsync("doc", "shared", "\"v1\"");
        for (var round = 1; round <= 5; round++)
        {
            var tag = $"\"{round}\"";
            var answers = await Task.WhenAll(
                ada.Client.StoreAsync("doc", "shared", "\"ada\"", ifMatch: tag),
                bob.Client.StoreAsync("doc", "shared", "\"bob\"", ifMatch: tag));
            Assert.Equal([200, 412], answers.Select(a => (int)a.StatusCode).Order().ToArray());
        }
        Assert.Equal(6, (await ada.Client.ArtifactOrNullAsync("doc", "shared"))!["version"]!.GetValue<long>());
    }
}

public sealed class KvPreconditionTestsOnSqlite() : KvPreconditionTests(DatabaseKind.Sqlite);
public sealed class KvPreconditionTestsOnPostgres() : KvPreconditionTests(DatabaseKind.Postgres);
