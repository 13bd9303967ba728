using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>Many writers on one key: with preconditions or patches, no update is ever lost.</summary>
public abstract class KvConcurrencyTests(DatabaseKind kind) : HearthTest(kind)
{
    /// <summary>Read, add one, write with If-Match; on 412 the body is the current artifact, so retry from it.</summary>
    private static async Task<int> IncrementWithIfMatchAsync(HttpClient client, string key)
    {
        var artifact = (await client.ArtifactOrNullAsync(key, "shared"))!;
        for (var attempts = 1; ; attempts++)
        {
            var count = artifact["value"]!["count"]!.GetValue<int>();
            var tag = $"\"{artifact["version"]!.GetValue<long>()}\"";
            var response = await client.StoreAsync(key, "shared", $$"""{"count": {{count + 1}}}""", ifMatch: tag);
            if ((int)response.StatusCode == 200)
            {
                return attempts;
            }
            artifact = await Json.ReadObjectAsync(response, 412);
        }
    }

    [Fact]
    public async Task EightClientsIncrementingWithIfMatchLoseNoUpdate()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("counter", "shared", """{"count": 0}""");
        var clients = Enumerable.Range(0, 8).Select(_ => app.Client(ada.Token)).ToList();
        var attempts = await Task.WhenAll(clients.Select(async client =>
        {
            var total = 0;
            for (var i = 0; i < 10; i++)
            {
                total += await IncrementWithIfMatchAsync(client, "counter");
            }
            return total;
        }));
        var final = await ada.Client.ArtifactOrNullAsync("counter", "shared");
        Assert.Equal(80, final!["value"]!["count"]!.GetValue<int>());
        Assert.Equal(81, final["version"]!.GetValue<long>());
        // The clients did collide: some writes were refused (each would have lost an update under last-write-wins).
        Assert.True(attempts.Sum() > 80, "no write was ever refused, so the test did not exercise concurrent writers");
    }

    [Fact]
    public async Task SixteenParallelPatchIncrementsLoseNoUpdate()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ada.Client.StoredAsync("counter", "shared", """{"count": 0, "by": []}""");
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var client = app.Client(i % 2 == 0 ? ada.Token : bob.Token);
            var count = 0;
            while (true)
            {
                // test + replace: applies only over the count this client last saw; a 409 says what it is now.
                var response = await client.JsonPatchAsync("counter", "shared", $$"""
                    [{"op": "test", "path": "/count", "value": {{count}}},
                     {"op": "replace", "path": "/count", "value": {{count + 1}}},
                     {"op": "add", "path": "/by/-", "value": {{i}}}]
                    """);
                if ((int)response.StatusCode == 200)
                {
                    return;
                }
                count = (await Json.ReadObjectAsync(response, 409))["artifact"]!["value"]!["count"]!.GetValue<int>();
            }
        }));
        var value = (await ada.Client.ArtifactOrNullAsync("counter", "shared"))!["value"]!;
        Assert.Equal(16, value["count"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(0, 16), value["by"]!.AsArray().Select(n => n!.GetValue<int>()).Order());
    }

    [Fact]
    public async Task ParallelAppendsNeedNoRetries()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("daily-journal", "personal", """{"entries": []}""");
        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => app.Client(ada.Token).JsonPatchAsync("daily-journal", "personal",
            $$$"""[{"op": "add", "path": "/entries/-", "value": {"n": {{{i}}}}}]""")));
        Assert.All(answers, answer => Assert.Equal(200, (int)answer.StatusCode));
        var artifact = await ada.Client.ArtifactOrNullAsync("daily-journal", "personal");
        Assert.Equal(Enumerable.Range(0, 32), artifact!["value"]!["entries"]!.AsArray().Select(e => e!["n"]!.GetValue<int>()).Order());
        Assert.Equal(33, artifact["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneKeyYieldOneArtifact()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            app.Client(ada.Token).StoreAsync("fresh", "shared", i.ToString(System.Globalization.CultureInfo.InvariantCulture), ifNoneMatch: "*")));
        Assert.Equal(1, answers.Count(a => (int)a.StatusCode == 200));
        Assert.Equal(11, answers.Count(a => (int)a.StatusCode == 412));
        var plain = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.Client(ada.Token).StoreAsync("fresh-too", "shared", "1")));
        Assert.All(plain, answer => Assert.Equal(200, (int)answer.StatusCode));
        var versions = await Task.WhenAll(plain.Select(async a => (await Json.ReadObjectAsync(a, 200))["artifact"]!["version"]!.GetValue<long>()));
        Assert.Equal(Enumerable.Range(1, 12).Select(v => (long)v), versions.Order());
        Assert.Equal(JsonValue.Create(12L).ToJsonString(),
            (await ada.Client.ArtifactOrNullAsync("fresh-too", "shared"))!["version"]!.ToJsonString());
    }
}

public sealed class KvConcurrencyTestsOnSqlite() : KvConcurrencyTests(DatabaseKind.Sqlite);
public sealed class KvConcurrencyTestsOnPostgres() : KvConcurrencyTests(DatabaseKind.Postgres);
