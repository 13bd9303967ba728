using System.Net.Http.Json;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Auth;

/// <summary>
/// Signing in and tokens. Tests share one server and make users of their own; those that need a clock, a secret
/// or a restart start their own.
/// </summary>
public abstract class SigninAndTokenTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string InvalidToken = "Your session has expired or the token is invalid. Please sign in again.";

    [Fact]
    public async Task SigninIsCaseInsensitiveOnEmailAndAnswersTheSessionShape()
    {
        var app = shared.App;
        var admin = await shared.NewUserAsync("Ada", "admin");
        var response = await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = admin.Email.ToUpperInvariant(), password = admin.Password });
        var body = await Json.ReadObjectAsync(response, 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal("admin", body["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongPasswordAndUnknownEmailAnswerTheSame400()
    {
        var app = shared.App;
        var ada = await shared.NewUserAsync("Ada");
        const string invalid = "The email or password provided is incorrect. Please check for typos and try logging in again.";
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = ada.Email, password = "wrong" }), 400, invalid);
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "nobody@example.com", password = "wrong" }), 400, invalid);
    }

    [Fact]
    public async Task CurrentUserRouteAnswersWithTheCallersIdentity()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        var body = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/auths/"), 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
        Assert.Equal(admin.Token, body["token"]!.GetValue<string>());
        Assert.NotNull(body["permissions"]!["chat"]);
    }

    [Fact]
    public async Task NoCredentialsAnswer403NotAuthenticated()
    {
        await Json.AssertDetailAsync(await shared.App.Client().GetAsync("/api/v1/auths/"), 403, "Not authenticated");
    }

    [Fact]
    public async Task GarbageAndForeignTokensAnswer401()
    {
        var app = shared.App;
        await Json.AssertDetailAsync(await app.Client("not.a.jwt").GetAsync("/api/v1/auths/"), 401, "401 Unauthorized");
        await using var other = await StartAsync(new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "another secret" });
        var foreign = await other.SignUpAsync("Eve");
        await Json.AssertDetailAsync(await app.Client(foreign.Token).GetAsync("/api/v1/auths/"), 401, "401 Unauthorized");
    }

    [Fact]
    public async Task ExpiredTokenAnswers401()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var app = await StartAsync(new Dictionary<string, string?> { ["JWT_EXPIRES_IN"] = "1h" }, clock);
        var admin = await app.SignUpAsync("Ada");
        Assert.Equal(200, (int)(await admin.Client.GetAsync("/api/v1/auths/")).StatusCode);
        clock.Advance(TimeSpan.FromHours(2));
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/auths/"), 401, "401 Unauthorized");
    }

    [Fact]
    public async Task SignoutRevokesTheTokenAndClearsTheCookie()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        var response = await admin.Client.GetAsync("/api/v1/auths/signout");
        Assert.True((await Json.ReadObjectAsync(response, 200))["status"]!.GetValue<bool>());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("token=;"));
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/auths/"), 401, InvalidToken);
    }

    [Fact]
    public async Task ASignoutTheDatabaseRefusesStillClearsTheCookieAndSaysSo()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await using (var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default))
        {
            await connection.ExecuteAsync(Kind == DatabaseKind.Postgres
                ? """
                  CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
                  CREATE TRIGGER refuse_session_delete BEFORE DELETE ON auth_sessions FOR EACH ROW EXECUTE FUNCTION refuse_delete();
                  """
                : "CREATE TRIGGER refuse_session_delete BEFORE DELETE ON auth_sessions BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        }
        var response = await ada.Client.PostAsync("/api/v1/auths/signout", null);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("token=;"));
        await Json.AssertDetailAsync(response, 503, Hearth.Server.Common.ErrorMessages.SignoutIncomplete);
        // The session could not be ended, and the answer said so: the token still works.
        Assert.Equal(200, (int)(await ada.Client.GetAsync("/api/v1/auths/")).StatusCode);
    }

    [Fact]
    public async Task TheTokenCookieSignsInBrowserRequests()
    {
        var app = shared.App;
        var admin = await shared.NewUserAsync("Ada", "admin");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auths/");
        request.Headers.Add("Cookie", $"token={admin.Token}");
        var body = await Json.ReadObjectAsync(await app.Client().SendAsync(request), 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PasswordChangeRevokesTheOtherTokensButKeepsTheCurrentOne()
    {
        var app = shared.App;
        var admin = await shared.NewUserAsync("Ada", "admin");
        var otherDevice = await app.SignInAsync(admin.Email, admin.Password);
        var change = await admin.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = admin.Password, new_password = "new secret" });
        Assert.True((await Json.ReadAsync(change, 200))!.GetValue<bool>());
        Assert.Equal(200, (int)(await admin.Client.GetAsync("/api/v1/auths/")).StatusCode);
        await Json.AssertDetailAsync(await otherDevice.Client.GetAsync("/api/v1/auths/"), 401, InvalidToken);
        await app.SignInAsync(admin.Email, "new secret");
        Assert.Equal(400, (int)(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = admin.Email, password = admin.Password })).StatusCode);
    }

    [Fact]
    public async Task PasswordChangeWithTheWrongCurrentPasswordChangesNothing()
    {
        var app = shared.App;
        var admin = await shared.NewUserAsync("Ada", "admin");
        await Json.AssertDetailAsync(await admin.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = "wrong", new_password = "new secret" }), 400,
            "The password provided is incorrect. Please check for typos and try again.");
        await app.SignInAsync(admin.Email, admin.Password);
    }

    [Fact]
    public async Task TokensSurviveARestart()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        await app.RestartAsync();
        using var client = app.Client(admin.Token);
        var body = await Json.ReadObjectAsync(await client.GetAsync("/api/v1/auths/"), 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(app.DataDir, ".webui_secret_key")));
    }
}

public sealed class SigninAndTokenTestsOnSqlite(SharedApp.OnSqlite shared)
    : SigninAndTokenTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class SigninAndTokenTestsOnPostgres(SharedApp.OnPostgres shared)
    : SigninAndTokenTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
