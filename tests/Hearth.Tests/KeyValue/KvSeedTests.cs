using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>The seed's four operations and its example applications, against the contract's artifact object.</summary>
public abstract class KvSeedTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private static readonly DateTime Now = new(2024, 3, 2, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TheFourOperationsAnswerTheContractsShapes()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        const string value = """{"habits": [{"name": "Exercise", "completed": ["2024-03-01", "2024-03-02"]}]}""";

        var stored = await ada.Client.StoredAsync("habit-tracker", "personal", value);
        Assert.Equal(["key", "scope", "value", "version", "size", "created_at", "updated_at", "updated_by"],
            stored.Select(member => member.Key).ToArray());
        Assert.Equal("habit-tracker", stored["key"]!.GetValue<string>());
        Assert.Equal("personal", stored["scope"]!.GetValue<string>());
        Assert.Equal(1, stored["version"]!.GetValue<long>());
        Assert.Equal(Encoding.UTF8.GetByteCount(value), stored["size"]!.GetValue<long>());
        Assert.Equal(ada.Id, stored["updated_by"]!.GetValue<string>());
        var updatedAt = DateTimeOffset.Parse(stored["updated_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, updatedAt.Offset);
        Assert.EndsWith("Z", stored["created_at"]!.GetValue<string>());
        Assert.InRange(DateTimeOffset.UtcNow - updatedAt, TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(1));

        var get = await ada.Client.GetArtifactAsync("habit-tracker", "personal");
        Assert.Equal("\"1\"", get.Headers.ETag?.ToString());
        var artifact = await Json.ReadObjectAsync(get, 200);
        Assert.Equal("Exercise", artifact["value"]!["habits"]![0]!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(stored, artifact));

        var listed = await ada.Client.ListAsync("scope=personal");
        Assert.Single(listed);
        Assert.Equal("habit-tracker", listed[0]!["key"]!.GetValue<string>());
        Assert.False(listed[0]!.AsObject().ContainsKey("value"));

        var deleted = await Json.ReadObjectAsync(await ada.Client.DeleteArtifactAsync("habit-tracker", "personal"), 200);
        Assert.Equal("""{"success":true}""", deleted.ToJsonString());
        Assert.Null(await ada.Client.ArtifactOrNullAsync("habit-tracker", "personal"));
        var again = await Json.ReadObjectAsync(await ada.Client.DeleteArtifactAsync("habit-tracker", "personal"), 404);
        Assert.Equal("""{"success":false,"detail":"Artifact not found"}""", again.ToJsonString());
    }

    [Fact]
    public async Task AScopeLeftOutIsPersonalOnEveryRoute()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var stored = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/artifacts/store", Json.Raw("""{"key": "notes", "value": {"n": 1}}""")), 200);
        Assert.Equal("personal", stored["artifact"]!["scope"]!.GetValue<string>());
        var batch = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/artifacts/batch",
            Json.Raw("""{"operations": [{"op": "store", "key": "todo", "value": []}]}""")), 200);
        Assert.Equal("personal", batch["results"]![0]!["scope"]!.GetValue<string>());

        Assert.Equal(1, (await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/artifacts/get?key=notes"), 200))["value"]!["n"]!.GetValue<int>());
        Assert.Equal(2, (await ada.Client.ListAsync("scope=personal")).Count);
        Assert.Equal(2, (await Json.ReadAsync(await ada.Client.GetAsync("/api/artifacts/list"), 200))!.AsArray().Count);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/artifacts/value?key=notes") { Content = Json.Raw("""{"n": 2}""", "application/merge-patch+json") };
        Assert.Equal(2, (await Json.ReadObjectAsync(await ada.Client.SendAsync(patch), 200))["artifact"]!["value"]!["n"]!.GetValue<int>());
        Assert.Equal("""{"success":true}""", (await Json.ReadObjectAsync(await ada.Client.DeleteAsync("/api/artifacts/delete?key=notes"), 200)).ToJsonString());
        Assert.Empty(await ada.Client.ListAsync("scope=shared"));
    }

    [Theory]
    [InlineData("""{"b": 1.0, "a": [1e3, -0.0, 12345678901234567890123], "c": {"z": null, "y": true}}""")]
    [InlineData("""{"text": "caf\u00e9 \ud83d\ude00 日記 \"quoted\" \\ \n"}""")]
    [InlineData("\"just a string\"")]
    [InlineData("42.50")]
    [InlineData("[]")]
    [InlineData("false")]
    public async Task ValuesComeBackExactlyAsSent(string value)
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("exact", "shared", value);
        var text = await (await ada.Client.GetArtifactAsync("exact", "shared")).Content.ReadAsStringAsync();
        Assert.Contains($"\"value\":{value},\"version\":1,\"size\":{Encoding.UTF8.GetByteCount(value)},", text);
        var listed = await (await ada.Client.GetAsync("/api/artifacts/list?scope=shared&include_values=true")).Content.ReadAsStringAsync();
        Assert.Contains($"\"value\":{value},", listed);
    }

    [Fact]
    public async Task TheDailyJournalKeepsItsEntries()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var journal = new JournalApp(ada.Client);
        Assert.Empty(await journal.RecentEntriesAsync(3));
        await journal.AddEntryAsync("Today I learned about Open WebUI artifacts!", Now);
        await journal.AddEntryAsync("Second day.", Now.AddDays(1));
        await journal.AddEntryAsync("Third day.", Now.AddDays(2));
        Assert.Equal(["Second day.", "Third day."], await journal.RecentEntriesAsync(2));
        var artifact = await ada.Client.ArtifactOrNullAsync("daily-journal", "personal");
        Assert.Equal(3, artifact!["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheHabitTrackerCountsAStreak()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var tracker = new HabitTracker(ada.Client);
        var today = DateOnly.FromDateTime(Now);
        await tracker.AddHabitAsync("Exercise", Now);
        await tracker.AddHabitAsync("Exercise", Now);
        await tracker.MarkCompleteAsync("Exercise", today.AddDays(-1));
        await tracker.MarkCompleteAsync("Exercise", today);
        await tracker.MarkCompleteAsync("Exercise", today);
        Assert.Equal(2, await tracker.StreakAsync("Exercise", today));
        Assert.Equal(0, await tracker.StreakAsync("Reading", today));
        var value = (await ada.Client.ArtifactOrNullAsync("habit-tracker", "personal"))!["value"]!;
        Assert.Equal(2, value["habits"]!["Exercise"]!["completed_dates"]!.AsArray().Count);
    }

    [Fact]
    public async Task TheTeamLeaderboardIsSharedByItsPlayers()
    {
        await using var app = await StartAsync();
        var alice = await app.SignUpAsync("Alice");
        var bob = await app.AddUserAsync(alice, "Bob");
        await new Leaderboard(alice.Client, "weekly-challenge").AddScoreAsync("Alice", 50);
        await new Leaderboard(bob.Client, "weekly-challenge").AddScoreAsync("Bob", 30);
        await new Leaderboard(alice.Client, "weekly-challenge").AddScoreAsync("Alice", 20);
        await new Leaderboard(bob.Client, "weekly-challenge").AddScoreAsync("Carol", 90);

        var board = new Leaderboard(bob.Client, "weekly-challenge");
        Assert.Equal([("Carol", 90), ("Alice", 70), ("Bob", 30)], await board.TopAsync(5));
        Assert.Equal(2, await board.RankAsync("Alice"));
        Assert.Equal(-1, await board.RankAsync("Dave"));
        var artifact = await alice.Client.ArtifactOrNullAsync("leaderboard-weekly-challenge", "shared");
        Assert.Equal(4, artifact!["version"]!.GetValue<long>());
        Assert.Equal(bob.Id, artifact["updated_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheMetricsDashboardKeepsTheLastHundredValues()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var dashboard = new MetricsDashboard(ada.Client);
        for (var i = 0; i < 105; i++)
        {
            await dashboard.LogMetricAsync("cpu_usage", i, Now.AddHours(-105 + i));
        }
        await dashboard.LogMetricAsync("memory_usage", 62.8, Now);
        Assert.Equal(104, await dashboard.LatestAsync("cpu_usage"));
        Assert.Equal(62.8, await dashboard.LatestAsync("memory_usage"));
        Assert.Null(await dashboard.LatestAsync("disk_usage"));
        // The last 24 hours (strictly after the cut-off) hold the values 82..104.
        Assert.Equal(93, await dashboard.AverageAsync("cpu_usage", TimeSpan.FromHours(24), Now));
        var value = (await ada.Client.ArtifactOrNullAsync("metrics-dashboard", "shared"))!["value"]!;
        Assert.Equal(100, value["metrics"]!["cpu_usage"]!.AsArray().Count);
        Assert.Equal(5, value["metrics"]!["cpu_usage"]![0]!["value"]!.GetValue<double>());
    }
}

public sealed class KvSeedTestsOnSqlite(SharedApp.OnSqlite shared)
    : KvSeedTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class KvSeedTestsOnPostgres(SharedApp.OnPostgres shared)
    : KvSeedTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
