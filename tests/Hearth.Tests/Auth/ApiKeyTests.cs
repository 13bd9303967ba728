using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Auth;

public abstract class ApiKeyTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task AKeyIsShownOnceUsableAsABearerTokenAndStoredHashed()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var key = (await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        Assert.Matches("^sk-[0-9a-f]{32}$", key);

        var me = await Json.ReadObjectAsync(await app.Client(key).GetAsync("/api/v1/auths/"), 200);
        Assert.Equal(admin.Id, me["id"]!.GetValue<string>());

        var shown = (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/auths/api_key"), 200))["api_key"]!.GetValue<string>();
        Assert.NotEqual(key, shown);
        Assert.StartsWith(key[..7], shown);

        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        var stored = await connection.QuerySingleAsync<string>("SELECT key_hash FROM api_keys WHERE user_id = @Id", new { admin.Id });
        Assert.DoesNotContain(key[3..], stored);
    }

    private const string KeyNotAllowed = "Use of API key is not enabled in the environment.";

    [Fact]
    public async Task KeysNeedTheFeaturesApiKeysPermissionToBeMadeAndUsed()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        var bobsKey = (await Json.ReadObjectAsync(await bob.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        Assert.Equal(200, (int)(await app.Client(bobsKey).GetAsync("/api/v1/chats/")).StatusCode);
        await admin.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"features": {"api_keys": false}}""")).SucceedsAsync();
        await Json.AssertDetailAsync(await app.Client(bobsKey).GetAsync("/api/v1/chats/"), 403, KeyNotAllowed);
        await Json.AssertDetailAsync(await bob.Client.PostAsync("/api/v1/auths/api_key", null), 403,
            "API key creation is not allowed in the environment.");
        // Admins keep theirs.
        var adminsKey = (await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        Assert.Equal(200, (int)(await app.Client(adminsKey).GetAsync("/api/v1/chats/")).StatusCode);
    }

    [Fact]
    public async Task EndpointRestrictionsLimitKeysToTheListedPathsAndBelow()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var key = (await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        var config = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config",
            Json.Raw("""{"ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS": true, "API_KEYS_ALLOWED_ENDPOINTS": "/api/models, /api/v1/folders"}""")), 200);
        Assert.True(config["ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS"]!.GetValue<bool>());
        Assert.Equal("/api/models, /api/v1/folders", config["API_KEYS_ALLOWED_ENDPOINTS"]!.GetValue<string>());
        Assert.Equal(200, (int)(await app.Client(key).GetAsync("/api/v1/folders")).StatusCode);
        Assert.Equal(200, (int)(await app.Client(key).GetAsync("/api/v1/folders/")).StatusCode);
        await Json.AssertDetailAsync(await app.Client(key).GetAsync("/api/v1/auths/"), 403, KeyNotAllowed);
        await Json.AssertDetailAsync(await app.Client(key).GetAsync("/api/v1/chats/"), 403, KeyNotAllowed);
        // Tokens are not API keys: no restriction.
        Assert.Equal(200, (int)(await admin.Client.GetAsync("/api/v1/auths/")).StatusCode);
    }

    [Fact]
    public async Task UpstreamsPluralSwitchNameWorksInTheEnvironmentAndTheAdminConfig()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_API_KEYS"] = "false" });
        var admin = await app.SignUpAsync("Ada");
        await Json.AssertDetailAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 403, KeyNotAllowed);
        var config = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config", Json.Raw("""{"ENABLE_API_KEYS": true}""")), 200);
        Assert.True(config["ENABLE_API_KEYS"]!.GetValue<bool>());
        Assert.True(config["ENABLE_API_KEY"]!.GetValue<bool>());
        Assert.Equal(200, (int)(await admin.Client.PostAsync("/api/v1/auths/api_key", null)).StatusCode);
    }

    [Fact]
    public async Task CreatingAKeyAnswersWhenItWasCreatedAsReadingItDoes()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_750_000_000));
        await using var app = await StartAsync(clock: clock);
        var admin = await app.SignUpAsync("Ada");
        var created = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200);
        Assert.Equal(1_750_000_000, created["created_at"]!.GetValue<long>());
        clock.Advance(TimeSpan.FromMinutes(5));
        var shown = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/auths/api_key"), 200);
        Assert.Equal(1_750_000_000, shown["created_at"]!.GetValue<long>());
    }

    [Fact]
    public async Task ADeletedOrReplacedKeyStopsWorking()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var first = (await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        var second = (await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        await Json.AssertDetailAsync(await app.Client(first).GetAsync("/api/v1/auths/"), 401,
            "Your session has expired or the token is invalid. Please sign in again.");
        Assert.True((await Json.ReadAsync(await admin.Client.DeleteAsync("/api/v1/auths/api_key"), 200))!.GetValue<bool>());
        Assert.Equal(401, (int)(await app.Client(second).GetAsync("/api/v1/auths/")).StatusCode);
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/auths/api_key"), 404, "API key not found");
    }

    [Fact]
    public async Task KeysAreRefusedWhileApiKeysAreDisabled()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var key = (await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config",
            Json.Raw("""{"ENABLE_API_KEY": false}""")), 200);
        const string disabled = "Use of API key is not enabled in the environment.";
        await Json.AssertDetailAsync(await app.Client(key).GetAsync("/api/v1/auths/"), 403, disabled);
        await Json.AssertDetailAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 403, disabled);
    }

    [Fact]
    public async Task ApiKeysCanBeDisabledFromTheEnvironment()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_API_KEY"] = "False" });
        var admin = await app.SignUpAsync("Ada");
        await Json.AssertDetailAsync(await admin.Client.PostAsync("/api/v1/auths/api_key", null), 403,
            "Use of API key is not enabled in the environment.");
    }
}

public sealed class ApiKeyTestsOnSqlite() : ApiKeyTests(DatabaseKind.Sqlite);
public sealed class ApiKeyTestsOnPostgres() : ApiKeyTests(DatabaseKind.Postgres);
