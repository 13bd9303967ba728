using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>
/// A JSON Patch is bounded while it applies, not only once it is done: a small patch can ask for an enormous value
/// (each <c>copy</c> of the root into itself doubles it), and without a bound it allocated gigabytes before the size
/// check refused it. Each test would, without the bound, either run out of memory or write the value.
/// </summary>
public abstract class KvPatchBoundsTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string Seed = """{"a":"0123456789"}""";

    /// <summary>The attack as found: 22 operations, each copying the whole document into a new member of itself (2^22 times the value).</summary>
    private static readonly string CopyBomb =
        "[" + string.Join(",", Enumerable.Range(0, 22).Select(i => $$"""{"op":"copy","from":"","path":"/k{{i}}"}""")) + "]";

    private static async Task AssertUnchangedAsync(TestUser user, string key)
    {
        var kept = await user.Client.ArtifactOrNullAsync(key, "personal");
        Assert.Equal(1, kept!["version"]!.GetValue<long>());
        Assert.Equal(Seed, await (await user.Client.GetArtifactAsync(key, "personal")).Content.ReadAsStringAsync()
            .ContinueWith(t => System.Text.Json.Nodes.JsonNode.Parse(t.Result)!["value"]!.ToJsonString()));
    }

    [Fact]
    public async Task ACopyBombStopsAtTheValueLimitOnPatch()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "personal", Seed);
        var detail = (await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", CopyBomb), 413))["detail"]!.GetValue<string>();
        // 18 bytes, doubled and a little more each time: the 16th copy (index 15) would make 1,572,921 bytes.
        Assert.StartsWith("The patch stopped at operation 15: it would make the value 1572921 bytes", detail);
        Assert.Contains("over the limit of 1048576 bytes per value (setting ARTIFACT_MAX_VALUE_BYTES)", detail);
        await AssertUnchangedAsync(ada, "doc");
    }

    [Fact]
    public async Task ACopyBombStopsAtTheValueLimitInABatch()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "personal", Seed);
        var failure = await Json.ReadObjectAsync(await ada.Client.BatchAsync(
            $$"""[{"op": "patch", "key": "doc", "scope": "personal", "patch": {{CopyBomb}}}]"""), 413);
        Assert.Equal(0, failure["index"]!.GetValue<int>());
        Assert.StartsWith("Operation 0 failed, nothing was written: The patch stopped at operation 15:", failure["detail"]!.GetValue<string>());
        await AssertUnchangedAsync(ada, "doc");

        // Behind another write, the bound holds inside the transaction too, and the batch writes nothing.
        var behind = await Json.ReadObjectAsync(await ada.Client.BatchAsync($$"""
            [{"op": "store", "key": "other", "scope": "personal", "value": 1},
             {"op": "patch", "key": "doc", "scope": "personal", "patch": {{CopyBomb}}}]
            """), 413);
        Assert.Equal(1, behind["index"]!.GetValue<int>());
        Assert.Contains("The patch stopped at operation 15:", behind["detail"]!.GetValue<string>());
        Assert.Null(await ada.Client.ArtifactOrNullAsync("other", "personal"));
        await AssertUnchangedAsync(ada, "doc");
    }

    [Fact]
    public async Task APatchThatGrowsAndShrinksInTurnIsStoppedByTheBytesItMoves()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ARTIFACT_MAX_VALUE_BYTES"] = "1000" });
        var ada = await app.SignUpAsync("Ada");
        var big = new string('x', 400);
        await ada.Client.StoredAsync("doc", "personal", $$"""{"a":"{{big}}"}""");
        // The value never passes 1000 bytes, but each pair of operations measures 800: 10,000 bytes is the bound.
        var churn = "[" + string.Join(",", Enumerable.Repeat("""{"op":"copy","from":"/a","path":"/b"},{"op":"remove","path":"/b"}""", 20)) + "]";
        var detail = (await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", churn), 413))["detail"]!.GetValue<string>();
        Assert.Contains("would move more than 10000 bytes in all (10 times the setting ARTIFACT_MAX_VALUE_BYTES)", detail);
        Assert.Equal(1, (await ada.Client.ArtifactOrNullAsync("doc", "personal"))!["version"]!.GetValue<long>());

        // Real edits are far from it: a few copies and removes of the same value pass.
        var few = "[" + string.Join(",", Enumerable.Repeat("""{"op":"copy","from":"/a","path":"/b"},{"op":"remove","path":"/b"}""", 3)) + "]";
        Assert.Equal(2, (await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", few), 200))["artifact"]!["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task APatchOfTooManyOperationsIs422NamingTheSetting()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ARTIFACT_MAX_PATCH_OPERATIONS"] = "5" });
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "personal", Seed);
        string Tests(int count) => "[" + string.Join(",", Enumerable.Repeat("""{"op":"test","path":"/a","value":"0123456789"}""", count)) + "]";

        var issue = await Json.AssertValidationErrorAsync(await ada.Client.JsonPatchAsync("doc", "personal", Tests(6)));
        Assert.Contains("ARTIFACT_MAX_PATCH_OPERATIONS", issue["msg"]!.GetValue<string>());
        var batchIssue = await Json.AssertValidationErrorAsync(await ada.Client.BatchAsync(
            $$"""[{"op": "patch", "key": "doc", "scope": "personal", "patch": {{Tests(6)}}}]"""));
        Assert.Equal("""["body","operations",0,"patch"]""", batchIssue["loc"]!.ToJsonString());
        await AssertUnchangedAsync(ada, "doc");
        await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", Tests(5)), 200);
    }

    [Fact]
    public async Task APatchThatWouldNestTheValueTooDeeplyIsRefusedNotAnError()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("doc", "personal", Seed);
        // Each copy of the root into a member nests the document one level deeper: the 64th would pass 64 levels.
        var deeper = "[" + string.Join(",", Enumerable.Repeat("""{"op":"copy","from":"","path":"/a"}""", 70)) + "]";
        var detail = (await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", deeper), 409))["detail"]!.GetValue<string>();
        Assert.Contains("operation 63 (copy: the value at /a would nest the document deeper than 64 levels.)", detail);
        // A copy of the root to its deepest point doubles the depth: unchecked, cloning and writing it recurse
        // thousands of levels deep. The 7th would make 128 levels.
        var doubling = "[" + string.Join(",", Enumerable.Range(0, 12).Select(i =>
            $$"""{"op":"copy","from":"","path":"{{string.Concat(Enumerable.Repeat("/a", 1 << i))}}"}""")) + "]";
        detail = (await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", doubling), 409))["detail"]!.GetValue<string>();
        Assert.Contains("operation 6 (copy: the value at /a/a/", detail);
        await AssertUnchangedAsync(ada, "doc");

        // 64 levels, as deep as the store reads, is allowed, and the value stays patchable.
        var deepest = "[" + string.Join(",", Enumerable.Repeat("""{"op":"copy","from":"","path":"/a"}""", 63)) + "]";
        // (Status codes only: the answers wrap the value two levels deeper than this client reads.)
        Assert.Equal(200, (int)(await ada.Client.JsonPatchAsync("doc", "personal", deepest)).StatusCode);
        Assert.Equal(200, (int)(await ada.Client.JsonPatchAsync("doc", "personal", """[{"op":"add","path":"/z","value":1}]""")).StatusCode);
    }
}

// On SQLite only: the bounds stop a patch while it applies in memory, before anything is written.
public sealed class KvPatchBoundsTestsOnSqlite() : KvPatchBoundsTests(DatabaseKind.Sqlite);
