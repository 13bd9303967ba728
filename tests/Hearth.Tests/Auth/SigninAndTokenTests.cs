using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

public abstract class SigninAndTokenTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string InvalidToken = "Your session has expired or the token is invalid. Please sign in again.";

    [Fact]
    public async Task SigninIsCaseInsensitiveOnEmailAndAnswersTheSessionShape()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada", "ada@example.com");
        var response = await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = "ADA@example.com", password = admin.Password });
        var body = await Json.ReadObjectAsync(response, 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal("admin", body["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongPasswordAndUnknownEmailAnswerTheSame400()
    {
        await using var app = await StartAsync();
        await app.SignUpAsync("Ada");
        const string invalid = "The email or password provided is incorrect. Please check for typos and try logging in again.";
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "ada@example.com", password = "wrong" }), 400, invalid);
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "nobody@example.com", password = "wrong" }), 400, invalid);
    }

    [Fact]
    public async Task CurrentUserRouteAnswersWithTheCallersIdentity()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var body = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/auths/"), 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
        Assert.Equal(admin.Token, body["token"]!.GetValue<string>());
        Assert.NotNull(body["permissions"]!["chat"]);
    }

    [Fact]
    public async Task NoCredentialsAnswer403NotAuthenticated()
    {
        await using var app = await StartAsync();
        await Json.AssertDetailAsync(await app.Client().GetAsync("/api/v1/auths/"), 403, "Not authenticated");
    }

    [Fact]
    public async Task GarbageAndForeignTokensAnswer401()
    {
        await using var app = await StartAsync();
        await app.SignUpAsync("Ada");
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
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var response = await admin.Client.GetAsync("/api/v1/auths/signout");
        Assert.True((await Json.ReadObjectAsync(response, 200))["status"]!.GetValue<bool>());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("token=;"));
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/auths/"), 401, InvalidToken);
    }

    [Fact]
    public async Task TheTokenCookieSignsInBrowserRequests()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auths/");
        request.Headers.Add("Cookie", $"token={admin.Token}");
        var body = await Json.ReadObjectAsync(await app.Client().SendAsync(request), 200);
        Assert.Equal(admin.Id, body["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PasswordChangeRevokesTheOtherTokensButKeepsTheCurrentOne()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
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
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
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

public sealed class SigninAndTokenTestsOnSqlite() : SigninAndTokenTests(DatabaseKind.Sqlite);
public sealed class SigninAndTokenTestsOnPostgres() : SigninAndTokenTests(DatabaseKind.Postgres);
