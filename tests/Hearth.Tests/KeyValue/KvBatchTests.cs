using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>POST /api/artifacts/batch: every operation applies, or none does.</summary>
/// <remarks>
/// The rollback tests share one server per database with a 40-byte value bound; each names its own keys, as the
/// shared scope is one namespace for the whole server.
/// </remarks>
public abstract class KvBatchTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    [Fact]
    public async Task ABatchAppliesItsOperationsInOrder()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("old", "personal", "1");
        var body = await Json.ReadObjectAsync(await ada.Client.BatchAsync("""
            [{"op": "store", "key": "board", "scope": "shared", "value": {"scores": [], "round": 1}},
             {"op": "patch", "key": "board", "scope": "shared", "patch": [{"op": "add", "path": "/scores/-", "value": {"name": "Alice", "points": 50}}]},
             {"op": "patch", "key": "board", "scope": "shared", "merge_patch": {"round": 2}, "expected_version": 2},
             {"op": "delete", "key": "old", "scope": "personal"}]
            """), 200);
        Assert.True(body["success"]!.GetValue<bool>());
        var results = body["results"]!.AsArray();
        Assert.Equal(["store", "patch", "patch", "delete"], results.Select(r => r!["op"]!.GetValue<string>()).ToArray());
        Assert.Equal([1L, 2L, 3L], results.Take(3).Select(r => r!["artifact"]!["version"]!.GetValue<long>()).ToArray());
        Assert.Null(results[3]!["artifact"]);
        var board = await ada.Client.ArtifactOrNullAsync("board", "shared");
        Assert.Equal("""{"scores":[{"name":"Alice","points":50}],"round":2}""", board!["value"]!.ToJsonString());
        Assert.Null(await ada.Client.ArtifactOrNullAsync("old", "personal"));
    }

    [Theory]
    [InlineData("""{"op": "patch", "key": "kept", "scope": "shared", "patch": [{"op": "test", "path": "/n", "value": 2}]}""", 409)]
    [InlineData("""{"op": "store", "key": "kept", "scope": "shared", "value": 5, "expected_version": 3}""", 412)]
    [InlineData("""{"op": "delete", "key": "never-stored", "scope": "shared"}""", 404)]
    [InlineData("""{"op": "patch", "key": "kept", "scope": "shared", "merge_patch": {"n": null, "big": "0123456789012345678901234567890123456789"}}""", 413)]
    [InlineData("""{"op": "patch", "key": "kept", "scope": "shared", "patch": [{"op": "replace", "path": "", "value": null}]}""", 422)]
    public async Task AFailingOperationRollsTheWholeBatchBack(string failing, int status)
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var (kept, added) = Keys();
        await ada.Client.StoredAsync(kept, "shared", """{"n": 1}""");
        var response = await ada.Client.BatchAsync($$$"""
            [{"op": "store", "key": "{{{added}}}", "scope": "shared", "value": "written first"},
             {"op": "patch", "key": "{{{kept}}}", "scope": "shared", "merge_patch": {"n": 1, "touched": true}},
             {"op": "delete", "key": "{{{added}}}", "scope": "shared"},
             {"op": "store", "key": "{{{added}}}", "scope": "shared", "value": "written again"},
             {{{failing.Replace("\"kept\"", $"\"{kept}\"")}}}]
            """);
        var failure = await Json.ReadObjectAsync(response, status);
        Assert.False(failure["success"]!.GetValue<bool>());
        Assert.Equal(4, failure["index"]!.GetValue<int>());
        Assert.StartsWith("Operation 4 failed", failure["detail"]!.GetValue<string>());
        if (status is 409 or 412)
        {
            // The artifact the operation met, as it was inside the rolled-back batch.
            Assert.Equal(2, failure["artifact"]!["version"]!.GetValue<long>());
        }
        Assert.Null(await ada.Client.ArtifactOrNullAsync(added, "shared"));
        Assert.Equal(1, (await ada.Client.ArtifactOrNullAsync(kept, "shared"))!["version"]!.GetValue<long>());
        Assert.Equal("""{"n": 1}""", (await (await ada.Client.GetArtifactAsync(kept, "shared")).Content.ReadAsStringAsync())
            .Split("\"value\":")[1].Split(",\"version\"")[0]);
    }

    protected static readonly Dictionary<string, string?> ValueBoundSettings = new() { ["ARTIFACT_MAX_VALUE_BYTES"] = "40" };

    /// <summary>Keys no other test of the shared server uses.</summary>
    private static (string Kept, string Added) Keys()
    {
        var suffix = Guid.NewGuid().ToString("N");
        return ($"kept-{suffix}", $"new-{suffix}");
    }
}

public sealed class KvBatchTestsOnSqlite(KvBatchTestsOnSqlite.ValueBound shared)
    : KvBatchTests(DatabaseKind.Sqlite, shared), IClassFixture<KvBatchTestsOnSqlite.ValueBound>
{
    public sealed class ValueBound() : SharedApp(DatabaseKind.Sqlite, ValueBoundSettings);
}
public sealed class KvBatchTestsOnPostgres(KvBatchTestsOnPostgres.ValueBound shared)
    : KvBatchTests(DatabaseKind.Postgres, shared), IClassFixture<KvBatchTestsOnPostgres.ValueBound>
{
    public sealed class ValueBound() : SharedApp(DatabaseKind.Postgres, ValueBoundSettings);
}

/// <summary>
/// A malformed batch is refused while it is read, before any store is asked: nothing here differs by database, so it
/// runs once, on SQLite, on one server with a three-operation bound.
/// </summary>
public sealed class KvBatchValidationTests(KvBatchValidationTests.BatchBound server) : IClassFixture<KvBatchValidationTests.BatchBound>
{
    public sealed class BatchBound() : SharedApp(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["ARTIFACT_MAX_BATCH_OPERATIONS"] = "3" });

    [Theory]
    [InlineData("[]", """["body","operations"]""")]
    [InlineData("""[{"op": "rename", "key": "a", "scope": "shared"}]""", """["body","operations",0,"op"]""")]
    [InlineData("""[{"op": "store", "key": "a", "scope": "shared"}]""", """["body","operations",0,"value"]""")]
    [InlineData("""[{"op": "delete", "key": "a", "scope": "shared"}, {"op": "store", "key": "b c", "scope": "shared", "value": 1}]""", """["body","operations",1,"key"]""")]
    [InlineData("""[{"op": "patch", "key": "a", "scope": "team"}]""", """["body","operations",0,"scope"]""")]
    [InlineData("""[{"op": "patch", "key": "a", "scope": "shared"}]""", """["body","operations",0]""")]
    [InlineData("""[{"op": "patch", "key": "a", "scope": "shared", "patch": [], "merge_patch": {}}]""", """["body","operations",0]""")]
    [InlineData("""[{"op": "patch", "key": "a", "scope": "shared", "patch": [{"op": "add"}]}]""", """["body","operations",0,"patch",0,"path"]""")]
    [InlineData("""[{"op": "delete", "key": "a", "scope": "shared", "expected_version": -2}]""", """["body","operations",0,"expected_version"]""")]
    [InlineData("""[{"op": "delete", "scope": "shared"}]""", """["body","operations",0,"key"]""")]
    [InlineData("""[1, 2, 3, 4]""", """["body","operations"]""")]
    public async Task AMalformedBatchIs422AndWritesNothing(string operations, string location)
    {
        var ada = server.Ada;
        var version = (await ada.Client.StoredAsync("a", "shared", "1"))["version"]!.GetValue<long>();
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.BatchAsync(operations));
        Assert.StartsWith(location.TrimEnd(']'), issue["loc"]!.ToJsonString());
        Assert.Equal(version, (await ada.Client.ArtifactOrNullAsync("a", "shared"))!["version"]!.GetValue<long>());
    }
}
