using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.KeyValue;

/// <summary>Each limit answers 413 with a detail naming its setting, and nothing is written.</summary>
public abstract class KvLimitTests(DatabaseKind kind) : HearthTest(kind)
{
    private static string ValueOf(int bytes) => "\"" + new string('x', bytes - 2) + "\"";

    private static async Task AssertTooLargeAsync(HttpResponseMessage response, string setting, long limit)
    {
        var detail = (await Json.ReadObjectAsync(response, 413))["detail"]!.GetValue<string>();
        Assert.Contains(setting, detail);
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), detail);
    }

    [Fact]
    public async Task AValueOverTheValueLimitIs413AndLeavesTheOldValue()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ARTIFACT_MAX_VALUE_BYTES"] = "100" });
        var ada = await app.SignUpAsync("Ada");
        await AssertTooLargeAsync(await ada.Client.StoreAsync("big", "personal", ValueOf(101)), "ARTIFACT_MAX_VALUE_BYTES", 100);
        Assert.Null(await ada.Client.ArtifactOrNullAsync("big", "personal"));

        Assert.Equal(100, (await ada.Client.StoredAsync("big", "personal", ValueOf(100)))["size"]!.GetValue<long>());
        await AssertTooLargeAsync(await ada.Client.StoreAsync("big", "personal", ValueOf(101)), "ARTIFACT_MAX_VALUE_BYTES", 100);
        await AssertTooLargeAsync(await ada.Client.JsonPatchAsync("big", "personal", """[{"op":"replace","path":"","value":"more than a hundred bytes, more than a hundred bytes, more than a hundred bytes, more than a hundred bytes"}]"""),
            "ARTIFACT_MAX_VALUE_BYTES", 100);
        var kept = await ada.Client.ArtifactOrNullAsync("big", "personal");
        Assert.Equal(1, kept!["version"]!.GetValue<long>());
        Assert.Equal(100, kept["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task APersonalTotalOverTheUserLimitIs413UntilSpaceIsFreed()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ARTIFACT_MAX_USER_BYTES"] = "250" });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ada.Client.StoredAsync("one", "personal", ValueOf(100));
        await ada.Client.StoredAsync("two", "personal", ValueOf(100));
        await AssertTooLargeAsync(await ada.Client.StoreAsync("three", "personal", ValueOf(100)), "ARTIFACT_MAX_USER_BYTES", 250);
        await AssertTooLargeAsync(await ada.Client.StoreAsync("two", "personal", ValueOf(151)), "ARTIFACT_MAX_USER_BYTES", 250);
        Assert.Null(await ada.Client.ArtifactOrNullAsync("three", "personal"));
        Assert.Equal(100, (await ada.Client.ArtifactOrNullAsync("two", "personal"))!["size"]!.GetValue<long>());

        // Another user has a total of their own, and the shared scope is not counted against anyone.
        await bob.Client.StoredAsync("three", "personal", ValueOf(200));
        await ada.Client.StoredAsync("three", "shared", ValueOf(200));
        // Growing to exactly the limit is allowed; shrinking and deleting free space.
        await ada.Client.StoredAsync("two", "personal", ValueOf(150));
        await ada.Client.StoredAsync("two", "personal", ValueOf(10));
        await Json.ReadObjectAsync(await ada.Client.DeleteArtifactAsync("one", "personal"), 200);
        await ada.Client.StoredAsync("three", "personal", ValueOf(240));
    }

    [Fact]
    public async Task ASharedTotalOverTheSharedLimitIs413()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ARTIFACT_MAX_SHARED_BYTES"] = "150" });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ada.Client.StoredAsync("a", "shared", ValueOf(100));
        await AssertTooLargeAsync(await bob.Client.StoreAsync("b", "shared", ValueOf(51)), "ARTIFACT_MAX_SHARED_BYTES", 150);
        // Each of these fits alone; together they do not, and the batch writes neither.
        var batch = await bob.Client.BatchAsync(
            $$"""[{"op":"store","key":"c","scope":"shared","value":{{ValueOf(30)}}},{"op":"store","key":"d","scope":"shared","value":{{ValueOf(30)}}}]""");
        await AssertTooLargeAsync(batch, "ARTIFACT_MAX_SHARED_BYTES", 150);
        Assert.Single(await bob.Client.ListAsync("scope=shared"));
        await bob.Client.StoredAsync("b", "shared", ValueOf(50));
        await bob.Client.StoredAsync("a", "personal", ValueOf(1000));
    }

    [Fact]
    public async Task ABodyOverTheRequestLimitIs413NamingThatSetting()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["MAX_REQUEST_BODY_SIZE"] = "2048" });
        var ada = await app.SignUpAsync("Ada");
        var response = await ada.Client.StoreAsync("big", "personal", ValueOf(4096));
        Assert.Contains("MAX_REQUEST_BODY_SIZE", (await Json.ReadObjectAsync(response, 413))["detail"]!.GetValue<string>());
        Assert.Null(await ada.Client.ArtifactOrNullAsync("big", "personal"));
    }
}

public sealed class KvLimitTestsOnSqlite() : KvLimitTests(DatabaseKind.Sqlite);
public sealed class KvLimitTestsOnPostgres() : KvLimitTests(DatabaseKind.Postgres);
