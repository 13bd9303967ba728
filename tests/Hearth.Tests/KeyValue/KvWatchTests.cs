using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Completions;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.KeyValue;

/// <summary>GET /api/artifacts/watch: a Server-Sent Events stream of committed changes.</summary>
public abstract class KvWatchTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task AWatchStreamSeesAnotherClientsWritesAndDeletes()
    {
        await using var app = await StartAsync();
        var alice = await app.SignUpAsync("Alice");
        var bob = await app.AddUserAsync(alice, "Bob");
        await using var stream = await EventStream.OpenAsync(bob.Client, "scope=shared&key=team-leaderboard");

        var stored = await alice.Client.StoredAsync("team-leaderboard", "shared", """{"scores": []}""");
        var created = await stream.NextAsync();
        Assert.Equal(["key", "scope", "version", "updated_at", "updated_by", "deleted"], created.Select(m => m.Key).ToArray());
        Assert.Equal("team-leaderboard", created["key"]!.GetValue<string>());
        Assert.Equal("shared", created["scope"]!.GetValue<string>());
        Assert.Equal(1, created["version"]!.GetValue<long>());
        Assert.Equal(alice.Id, created["updated_by"]!.GetValue<string>());
        Assert.Equal(stored["updated_at"]!.GetValue<string>(), created["updated_at"]!.GetValue<string>());
        Assert.False(created["deleted"]!.GetValue<bool>());

        await alice.Client.JsonPatchAsync("team-leaderboard", "shared", """[{"op": "add", "path": "/scores/-", "value": 1}]""").SucceedsAsync();
        Assert.Equal(2, (await stream.NextAsync())["version"]!.GetValue<long>());
        await alice.Client.DeleteArtifactAsync("team-leaderboard", "shared").SucceedsAsync();
        var deleted = await stream.NextAsync();
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Equal(2, deleted["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task PersonalChangesReachOnlyTheirOwnersStreams()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        await using var bobs = await EventStream.OpenAsync(bob.Client, "scope=personal");
        await using var admins = await EventStream.OpenAsync(admin.Client, "scope=personal");

        // Bob's stream must skip the admin's personal write (same key) and the shared one, and see his own.
        await admin.Client.StoredAsync("diary", "personal", "\"ada\"");
        await admin.Client.StoredAsync("diary", "shared", "\"everyone\"");
        await bob.Client.StoredAsync("diary", "personal", "\"bob\"");
        var first = await bobs.NextAsync();
        Assert.Equal(bob.Id, first["updated_by"]!.GetValue<string>());
        Assert.Equal("personal", first["scope"]!.GetValue<string>());
        Assert.Equal(admin.Id, (await admins.NextAsync())["updated_by"]!.GetValue<string>());
        await admin.Client.StoredAsync("later", "personal", "1");
        Assert.Equal("later", (await admins.NextAsync())["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task APrefixWatchSeesItsKeysAndABatchsChangesInOrder()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await using var stream = await EventStream.OpenAsync(ada.Client, "scope=shared&prefix=game-");
        await ada.Client.StoredAsync("other", "shared", "1");
        await ada.Client.StoredAsync("gamer", "shared", "1");
        await Json.ReadObjectAsync(await ada.Client.BatchAsync("""
            [{"op": "store", "key": "game-1", "scope": "shared", "value": 1},
             {"op": "store", "key": "game-2", "scope": "shared", "value": 2},
             {"op": "delete", "key": "game-1", "scope": "shared"}]
            """), 200);
        var events = new[] { await stream.NextAsync(), await stream.NextAsync(), await stream.NextAsync() };
        Assert.Equal(["game-1", "game-2", "game-1"], events.Select(e => e["key"]!.GetValue<string>()).ToArray());
        Assert.Equal([false, false, true], events.Select(e => e["deleted"]!.GetValue<bool>()).ToArray());
    }

    [Fact]
    public async Task EventsArriveInCommitOrder()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await using var stream = await EventStream.OpenAsync(ada.Client, "scope=shared&key=busy");
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => app.Client(ada.Token).StoredAsync("busy", "shared", $"{i}")));
        var versions = new List<long>();
        for (var i = 0; i < 24; i++)
        {
            versions.Add((await stream.NextAsync())["version"]!.GetValue<long>());
        }
        Assert.Equal(Enumerable.Range(1, 24).Select(v => (long)v), versions);
    }

    [Fact]
    public async Task ARefusedWriteSendsNoEvent()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "shared", "1");
        await using var stream = await EventStream.OpenAsync(ada.Client, "scope=shared");
        await Json.ReadObjectAsync(await ada.Client.StoreAsync("doc", "shared", "2", ifMatch: "\"9\""), 412);
        await Json.ReadObjectAsync(await ada.Client.BatchAsync(
            """[{"op": "store", "key": "doc", "scope": "shared", "value": 3}, {"op": "delete", "key": "none", "scope": "shared"}]"""), 404);
        await ada.Client.StoredAsync("marker", "shared", "1");
        // The refused writes (versions 2 and 3 of doc) never show; doc's first version, stored before the stream opened, may.
        Assert.Equal("marker", (await stream.NextExceptAsync(("doc", 1)))["key"]!.GetValue<string>());
    }
}

public sealed class KvWatchTestsOnSqlite() : KvWatchTests(DatabaseKind.Sqlite);
public sealed class KvWatchTestsOnPostgres() : KvWatchTests(DatabaseKind.Postgres);

/// <summary>Several Hearth processes on one PostgreSQL database: LISTEN/NOTIFY carries changes between them.</summary>
public sealed class ArtifactWatchAcrossProcessesTests
{
    [Fact]
    public async Task AWriteThroughOneServerReachesAWatchStreamOnAnother()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "shared-secret-for-both-processes" };
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, secret);
        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, secret, databaseUrl: first.DatabaseUrl);
        var alice = await first.SignUpAsync("Alice");
        var bob = await first.AddUserAsync(alice, "Bob");

        await using var onSecond = await EventStream.OpenAsync(second.Client(bob.Token), "scope=shared&key=doc");
        await using var bobsPersonal = await EventStream.OpenAsync(second.Client(bob.Token), "scope=personal");
        await alice.Client.StoredAsync("doc", "personal", "\"alice's own\"");
        await alice.Client.StoredAsync("doc", "shared", "\"from the first server\"");
        var change = await onSecond.NextAsync();
        Assert.Equal(alice.Id, change["updated_by"]!.GetValue<string>());
        Assert.Equal(1, change["version"]!.GetValue<long>());

        // And back: a write on the second server reaches a stream on the first; Alice's personal write reached no one else.
        await using var onFirst = await EventStream.OpenAsync(alice.Client, "scope=shared");
        await second.Client(bob.Token).StoredAsync("doc", "shared", "\"from the second server\"");
        Assert.Equal(bob.Id, (await onFirst.NextExceptAsync(("doc", 1)))["updated_by"]!.GetValue<string>());
        await second.Client(bob.Token).StoredAsync("mine", "personal", "1");
        Assert.Equal("mine", (await bobsPersonal.NextAsync())["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhenTheListenerLosesItsConnectionStreamsEndAndNewOnesWorkAgain()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Postgres);
        var ada = await app.SignUpAsync("Ada");
        var stream = await EventStream.OpenAsync(ada.Client, "scope=shared");
        await using var events = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        await using (var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default))
        {
            // One connection listens for every channel: the key-value changes and the events relayed between processes.
            var killed = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
            Assert.Equal(1, killed);
        }
        // Changes may have been missed while the listener was gone, so the open streams end (their clients reconnect).
        await stream.AssertEndsAsync();
        await stream.DisposeAsync();
        Assert.True(await events.EndsWithinAsync(TimeSpan.FromSeconds(15)));
        // A stream opened again says it is live once the listener listens again: nothing sent after that is missed.
        await using var eventsAgain = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        await app.ListensAsync();

        await using var reopened = await EventStream.OpenAsync(ada.Client, "scope=shared");
        await ada.Client.StoredAsync("after", "shared", "1");
        Assert.Equal("after", (await reopened.NextAsync())["key"]!.GetValue<string>());
    }
}
