using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

public abstract class SingleUserModeTests(DatabaseKind kind) : HearthTest(kind)
{
    private static readonly Dictionary<string, string?> NoAuth = new() { ["WEBUI_AUTH"] = "False" };

    /// <summary>Signs in as Open WebUI 0.11's clients do with authentication off: empty credentials.</summary>
    private static async Task<HttpClient> SignedInAsync(HearthApp app)
    {
        var session = await Json.ReadObjectAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "", password = "" }), 200);
        Assert.Equal("admin@localhost", session["email"]!.GetValue<string>());
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session["token"]!.GetValue<string>());
        return client;
    }

    [Fact]
    public async Task RequestsNeedTheBuiltInAdminsTokenAsInOpenWebUi011()
    {
        await using var app = await StartAsync(NoAuth);
        await Json.AssertDetailAsync(await app.Client().GetAsync("/api/v1/auths/"), 401, "Not authenticated");
        await Json.AssertDetailAsync(await app.Client().GetAsync("/api/v1/chats/"), 401, "Not authenticated");
        var client = await SignedInAsync(app);
        var me = await Json.ReadObjectAsync(await client.GetAsync("/api/v1/auths/"), 200);
        Assert.Equal("admin", me["role"]!.GetValue<string>());
        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/users/")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/auths/admin/config")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/chats/")).StatusCode);
    }

    [Fact]
    public async Task SignupIsClosedAndAnyCredentialsSignInAsTheBuiltInAdmin()
    {
        await using var app = await StartAsync(NoAuth);
        Assert.Equal(403, (int)(await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "A", email = "a@example.com", password = "pw" })).StatusCode);
        await SignedInAsync(app);
        var other = await Json.ReadObjectAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "someone@example.com", password = "whatever" }), 200);
        Assert.Equal("admin@localhost", other["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task SigninIsRefusedWhenOtherAccountsExistWithoutTheBuiltInOne()
    {
        await using var app = await StartAsync();
        await app.SignUpAsync("Ada");
        await app.RestartAsync(NoAuth);
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = "", password = "" }), 400,
            "You can't turn off authentication because there are existing users. If you want to disable WEBUI_AUTH, make sure your web interface doesn't have any existing users and is a fresh installation.");
    }

    [Fact]
    public async Task TheBuiltInAdminKeepsItsIdAcrossRestarts()
    {
        await using var app = await StartAsync(NoAuth);
        var before = (await Json.ReadObjectAsync(await (await SignedInAsync(app)).GetAsync("/api/v1/auths/"), 200))["id"]!.GetValue<string>();
        await app.RestartAsync();
        var after = (await Json.ReadObjectAsync(await (await SignedInAsync(app)).GetAsync("/api/v1/auths/"), 200))["id"]!.GetValue<string>();
        Assert.Equal(before, after);
    }
}

public sealed class SingleUserModeTestsOnSqlite() : SingleUserModeTests(DatabaseKind.Sqlite);
public sealed class SingleUserModeTestsOnPostgres() : SingleUserModeTests(DatabaseKind.Postgres);
