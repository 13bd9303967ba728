using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.KeyValue;

/// <summary>Every malformed request is a 422 (FastAPI's list) or 413/415, and writes nothing (so the tests share one server).</summary>
public abstract class KvBadInputTests(SharedApp shared)
{
    private static async Task<long> ArtifactCount(HearthApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM artifacts");
    }

    [Theory]
    [InlineData("Personal")]
    [InlineData("public")]
    [InlineData("")]
    [InlineData("shared ")]
    public async Task AScopeOtherThanPersonalOrSharedIs422Everywhere(string scope)
    {
        var (app, ada) = (shared.App, shared.Ada);
        var stored = await ArtifactCount(app);
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.StoreAsync("k", scope, "1"));
        Assert.Equal("literal_error", issue["type"]!.GetValue<string>());
        Assert.Equal("""["body","scope"]""", issue["loc"]!.ToJsonString());
        Assert.Equal("Input should be 'personal' or 'shared'", issue["msg"]!.GetValue<string>());
        foreach (var response in new[]
        {
            await ada.Client.GetArtifactAsync("k", scope), await ada.Client.DeleteArtifactAsync("k", scope),
            await ada.Client.GetAsync($"/api/artifacts/list?scope={Uri.EscapeDataString(scope)}"),
            await ada.Client.MergePatchAsync("k", scope, "{}"), await ada.Client.GetAsync($"/api/artifacts/watch?scope={Uri.EscapeDataString(scope)}"),
        })
        {
            Assert.Equal("""["query","scope"]""", (await Json.AssertValidationErrorAsync(response))["loc"]!.ToJsonString());
        }
        Assert.Equal(stored, await ArtifactCount(app));
    }

    public static TheoryData<string> BadKeys() => new()
    {
        "", "with space", "tab\there", "new\nline", "double\"quote", "single'quote", "back\\slash", "nul\u0000", "bell\u0007",
        "nbsp\u00a0x", "ideographic\u3000space", new string('k', 201), string.Concat(Enumerable.Repeat("😀", 201)),
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task KeysBreakingTheRulesAre422(string key)
    {
        var (app, ada) = (shared.App, shared.Ada);
        var stored = await ArtifactCount(app);
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.StoreAsync(key, "personal", "1"));
        Assert.Equal("value_error", issue["type"]!.GetValue<string>());
        Assert.Equal("""["body","key"]""", issue["loc"]!.ToJsonString());
        if (key.Length > 0)
        {
            Assert.Equal("""["query","key"]""", (await Json.AssertValidationErrorAsync(await ada.Client.GetArtifactAsync(key, "personal")))["loc"]!.ToJsonString());
        }
        Assert.Equal(stored, await ArtifactCount(app));
    }

    [Fact]
    public async Task AKeyWithALoneSurrogateIs422()
    {
        var (app, ada) = (shared.App, shared.Ada);
        var stored = await ArtifactCount(app);
        var response = await ada.Client.PostAsync("/api/artifacts/store", Json.Raw("""{"key": "lone\ud800surrogate", "scope": "personal", "value": 1}"""));
        await Json.AssertValidationErrorAsync(response);
        Assert.Equal(stored, await ArtifactCount(app));
    }

    [Theory]
    [InlineData("k")]
    [InlineData("leaderboard/weekly:2024-03#1")]
    [InlineData("日記-😀-ключ")]
    [InlineData("~!@$%^&*()_+=-`{}[]|;:<>,.?/")]
    public async Task KeysWithinTheRulesWork(string key)
    {
        var (app, ada) = (shared.App, shared.Ada);
        Assert.Equal(key, (await ada.Client.StoredAsync(key, "personal", "1"))["key"]!.GetValue<string>());
        Assert.Equal(key, (await ada.Client.ArtifactOrNullAsync(key, "personal"))!["key"]!.GetValue<string>());
        var longest = string.Concat(Enumerable.Repeat("😀", 200));
        Assert.Equal(longest, (await ada.Client.StoredAsync(longest, "personal", "2"))["key"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"key": "k", "scope": "personal", "value": null}""", "value_error", "value")]
    [InlineData("""{"key": "k", "scope": "personal", "value": {"note": "\ud800"}}""", "string_unicode", "value")]
    [InlineData("""{"key": "k", "scope": "personal"}""", "missing", "value")]
    [InlineData("""{"scope": "personal", "value": 1}""", "missing", "key")]
    [InlineData("""{"key": 5, "scope": "personal", "value": 1}""", "type_error", "key")]
    [InlineData("""{"key": "k", "scope": ["personal"], "value": 1}""", "type_error", "scope")]
    [InlineData("""{"key": "k", "scope": "personal", "value": 1, "expected_version": "1"}""", "type_error", "expected_version")]
    [InlineData("""{"key": "k", "scope": "personal", "value": 1, "expected_version": -1}""", "greater_than_equal", "expected_version")]
    [InlineData("""{"key": "k", "scope": "personal", "value": {"a": }""", "json_invalid", null)]
    [InlineData("""[{"key": "k", "scope": "personal", "value": 1}]""", "type_error", null)]
    [InlineData("", "missing", null)]
    public async Task AMalformedStoreIs422AndWritesNothing(string body, string type, string? field)
    {
        var (app, ada) = (shared.App, shared.Ada);
        var stored = await ArtifactCount(app);
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/artifacts/store", Json.Raw(body)));
        Assert.Equal(type, issue["type"]!.GetValue<string>());
        Assert.Equal("body", issue["loc"]![0]!.GetValue<string>());
        if (field is not null)
        {
            Assert.Equal(field, issue["loc"]![1]!.GetValue<string>());
        }
        Assert.Equal(stored, await ArtifactCount(app));
    }

    [Fact]
    public async Task AStoreThatIsNotJsonIs415()
    {
        var (app, ada) = (shared.App, shared.Ada);
        var response = await ada.Client.PostAsync("/api/artifacts/store", Json.Raw("key=k&scope=personal&value=1", "application/x-www-form-urlencoded"));
        Assert.NotNull((await Json.ReadObjectAsync(response, 415))["detail"]);
    }

    [Theory]
    [InlineData("scope=personal&limit=0", "limit")]
    [InlineData("scope=personal&limit=1001", "limit")]
    [InlineData("scope=personal&limit=ten", "limit")]
    [InlineData("scope=personal&cursor=%%%", "cursor")]
    [InlineData("scope=personal&cursor=YSBi", "cursor")]
    [InlineData("scope=personal&include_values=maybe", "include_values")]
    public async Task BadListParametersAre422(string query, string field)
    {
        var (app, ada) = (shared.App, shared.Ada);
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.GetAsync($"/api/artifacts/list?{query}"));
        Assert.Equal($"""["query","{field}"]""", issue["loc"]!.ToJsonString());
    }

    [Fact]
    public async Task MissingQueryParametersAre422()
    {
        var (app, ada) = (shared.App, shared.Ada);
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/artifacts/get?scope=personal"));
        Assert.Equal("missing", issue["type"]!.GetValue<string>());
        Assert.Equal("""["query","key"]""", issue["loc"]!.ToJsonString());
        var watch = await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/artifacts/watch?scope=shared&key=a&prefix=b"));
        Assert.Equal("""["query","prefix"]""", watch["loc"]!.ToJsonString());
    }
}

public sealed class KvBadInputTestsOnSqlite(SharedApp.OnSqlite shared) : KvBadInputTests(shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class KvBadInputTestsOnPostgres(SharedApp.OnPostgres shared) : KvBadInputTests(shared), IClassFixture<SharedApp.OnPostgres>;
