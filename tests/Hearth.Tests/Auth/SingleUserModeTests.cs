using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

public abstract class SingleUserModeTests(DatabaseKind kind) : HearthTest(kind)
{
    private static readonly Dictionary<string, string?> NoAuth = new() { ["WEBUI_AUTH"] = "False" };

    [Fact]
    public async Task EveryRequestActsAsTheBuiltInAdmin()
    {
        await using var app = await StartAsync(NoAuth);
        var me = await Json.ReadObjectAsync(await app.Client().GetAsync("/api/v1/auths/"), 200);
        Assert.Equal("admin", me["role"]!.GetValue<string>());
        Assert.Equal(200, (int)(await app.Client().GetAsync("/api/v1/users/")).StatusCode);
        Assert.Equal(200, (int)(await app.Client().GetAsync("/api/v1/auths/admin/config")).StatusCode);
    }

    [Fact]
    public async Task SignupIsClosedAndSigninAnswersTheBuiltInAdmin()
    {
        await using var app = await StartAsync(NoAuth);
        Assert.Equal(403, (int)(await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "A", email = "a@example.com", password = "pw" })).StatusCode);
        var session = await Json.ReadObjectAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "", password = "" }), 200);
        Assert.Equal("admin@localhost", session["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheBuiltInAdminKeepsItsIdAcrossRestarts()
    {
        await using var app = await StartAsync(NoAuth);
        var before = (await Json.ReadObjectAsync(await app.Client().GetAsync("/api/v1/auths/"), 200))["id"]!.GetValue<string>();
        await app.RestartAsync();
        var after = (await Json.ReadObjectAsync(await app.Client().GetAsync("/api/v1/auths/"), 200))["id"]!.GetValue<string>();
        Assert.Equal(before, after);
    }
}

public sealed class SingleUserModeTestsOnSqlite() : SingleUserModeTests(DatabaseKind.Sqlite);
public sealed class SingleUserModeTestsOnPostgres() : SingleUserModeTests(DatabaseKind.Postgres);
