using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>PATCH /api/artifacts/value with RFC 7386 merge patches and RFC 6902 JSON Patches.</summary>
public abstract class KvPatchTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    [Fact]
    public async Task AMergePatchChangesOnlyWhatItNames()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await ada.Client.StoredAsync("user-settings", "personal",
            """{"version": "1.0", "preferences": {"theme": "dark", "language": "en"}, "beta": true}""");
        var response = await ada.Client.MergePatchAsync("user-settings", "personal", """{"preferences": {"theme": "light"}, "beta": null}""");
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        var artifact = (await Json.ReadObjectAsync(response, 200))["artifact"]!;
        Assert.Equal("""{"version":"1.0","preferences":{"theme":"light","language":"en"}}""", artifact["value"]!.ToJsonString());
        Assert.Equal(2, artifact["version"]!.GetValue<long>());
        Assert.Equal(artifact["value"]!.ToJsonString().Length, artifact["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task AJsonPatchAppendsAnEntryWithoutReadingFirst()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await ada.Client.StoredAsync("daily-journal", "personal", """{"entries": []}""");
        foreach (var day in new[] { "2024-03-01", "2024-03-02" })
        {
            await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("daily-journal", "personal",
                $$$"""[{"op": "add", "path": "/entries/-", "value": {"date": "{{{day}}}", "content": "Entry {{{day}}}"}}]"""), 200);
        }
        var value = (await ada.Client.ArtifactOrNullAsync("daily-journal", "personal"))!["value"]!;
        Assert.Equal(["2024-03-01", "2024-03-02"], value["entries"]!.AsArray().Select(e => e!["date"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task AFailingTestOperationIs409AndChangesNothing()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await ada.Client.StoredAsync("board", "shared", """{"scores": {"Alice": 150}, "log": []}""");
        var response = await ada.Client.JsonPatchAsync("board", "shared", """
            [{"op": "add", "path": "/log/-", "value": "Alice +20"},
             {"op": "test", "path": "/scores/Alice", "value": 140},
             {"op": "replace", "path": "/scores/Alice", "value": 160}]
            """);
        var conflict = await Json.ReadObjectAsync(response, 409);
        Assert.Contains("operation 1", conflict["detail"]!.GetValue<string>());
        Assert.Contains("test", conflict["detail"]!.GetValue<string>());
        Assert.Equal(1, conflict["artifact"]!["version"]!.GetValue<long>());
        var stored = await ada.Client.ArtifactOrNullAsync("board", "shared");
        Assert.Equal(150, stored!["value"]!["scores"]!["Alice"]!.GetValue<int>());
        Assert.Empty(stored["value"]!["log"]!.AsArray());
        Assert.Equal(1, stored["version"]!.GetValue<long>());

        // The same patch with the right expectation applies.
        await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("board", "shared",
            """[{"op": "test", "path": "/scores/Alice", "value": 150.0}, {"op": "replace", "path": "/scores/Alice", "value": 170}]"""), 200);
        Assert.Equal(170, (await ada.Client.ArtifactOrNullAsync("board", "shared"))!["value"]!["scores"]!["Alice"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""[{"op": "remove", "path": "/missing"}]""")]
    [InlineData("""[{"op": "add", "path": "/a/b/c", "value": 1}]""")]
    [InlineData("""[{"op": "replace", "path": "/list/5", "value": 1}]""")]
    [InlineData("""[{"op": "move", "from": "/nothing", "path": "/x"}]""")]
    public async Task APatchThatDoesNotFitTheValueIs409(string patch)
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await ada.Client.StoredAsync("doc", "personal", """{"a": 1, "list": [1]}""");
        await Json.ReadObjectAsync(await ada.Client.JsonPatchAsync("doc", "personal", patch), 409);
        Assert.Equal(1, (await ada.Client.ArtifactOrNullAsync("doc", "personal"))!["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task PatchPreconditionsAndMissingArtifacts()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await Json.AssertDetailAsync(await ada.Client.MergePatchAsync("nothing", "personal", """{"a": 1}"""), 404, "Artifact not found");
        await ada.Client.StoredAsync("doc", "personal", """{"a": 1}""");
        var stale = await Json.ReadObjectAsync(await ada.Client.MergePatchAsync("doc", "personal", """{"a": 2}""", ifMatch: "\"5\""), 412);
        Assert.Equal(1, stale["value"]!["a"]!.GetValue<int>());
        await Json.ReadObjectAsync(await ada.Client.MergePatchAsync("doc", "personal", """{"a": 2}""", ifMatch: "\"1\""), 200);
    }

    [Theory]
    [InlineData("application/json", """{"a": 2}""", 415)]
    [InlineData("text/plain", """{"a": 2}""", 415)]
    [InlineData("application/merge-patch+json", """{"a": """, 422)]
    [InlineData("application/merge-patch+json", "null", 422)]
    [InlineData("application/merge-patch+json", """{"a": "\udc00"}""", 422)]
    [InlineData("application/merge-patch+json", """{"\ud800": 1}""", 422)]
    [InlineData("application/json-patch+json", """[{"op": "add", "path": "/b", "value": "x\ud800"}]""", 422)]
    [InlineData("application/json-patch+json", """{"op": "add"}""", 422)]
    [InlineData("application/json-patch+json", """[{"op": "increment", "path": "/a"}]""", 422)]
    [InlineData("application/json-patch+json", """[{"op": "add", "path": "/b", "value": 1, "op": "remove"}]""", 422)]
    [InlineData("application/json-patch+json", """[{"op": "remove", "path": ""}]""", 409)]
    public async Task ABadPatchRequestChangesNothing(string contentType, string body, int status)
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await ada.Client.StoredAsync("doc", "personal", """{"a": 1}""");
        var response = await ada.Client.PatchArtifactAsync("doc", "personal", contentType, body);
        var answer = await Json.ReadObjectAsync(response, status);
        Assert.NotNull(answer["detail"]);
        Assert.Equal(1, (await ada.Client.ArtifactOrNullAsync("doc", "personal"))!["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task AJsonPatchIssueNamesTheOperationAndMember()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        await ada.Client.StoredAsync("doc", "personal", "{}");
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.JsonPatchAsync("doc", "personal",
            """[{"op": "add", "path": "/a", "value": 1}, {"op": "copy", "path": "/b"}]"""));
        Assert.Equal("""["body",1,"from"]""", issue["loc"]!.ToJsonString());
    }
}

public sealed class KvPatchTestsOnSqlite(SharedApp.OnSqlite shared)
    : KvPatchTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class KvPatchTestsOnPostgres(SharedApp.OnPostgres shared)
    : KvPatchTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
