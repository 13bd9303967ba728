using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

public abstract class SignupTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string AccessProhibited =
        "You do not have permission to access this resource. Please contact your administrator for assistance.";

    [Fact]
    public async Task FirstUserBecomesAdminAndSignupThenCloses()
    {
        await using var app = await StartAsync();
        var first = await app.SignUpAsync("Ada");
        Assert.Equal("admin", first.Role);

        var second = await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "Bob", email = "bob@example.com", password = "pw" });
        await Json.AssertDetailAsync(second, 403, AccessProhibited);

        var config = await Json.ReadObjectAsync(await first.Client.GetAsync("/api/v1/auths/admin/config"), 200);
        Assert.False(config["ENABLE_SIGNUP"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SignupAnswersTheSessionShape()
    {
        await using var app = await StartAsync();
        var response = await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "Ada", email = "Ada@Example.com", password = "pw" });
        var body = await Json.ReadObjectAsync(response, 200);
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["token"]!.GetValue<string>()));
        Assert.Equal("ada@example.com", body["email"]!.GetValue<string>());
        Assert.Equal("Ada", body["name"]!.GetValue<string>());
        Assert.Equal("admin", body["role"]!.GetValue<string>());
        Assert.NotNull(body["id"]);
        Assert.NotNull(body["profile_image_url"]);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("token=") && c.Contains("httponly"));
    }

    [Fact]
    public async Task ExplicitEnableSignupKeepsSignupOpenWithTheDefaultRole()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });
        await app.SignUpAsync("Ada");
        var second = await app.SignUpAsync("Bob");
        Assert.Equal("pending", second.Role);
    }

    [Fact]
    public async Task DefaultUserRoleSettingAppliesToLaterSignups()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["ENABLE_SIGNUP"] = "true",
            ["DEFAULT_USER_ROLE"] = "user",
        });
        await app.SignUpAsync("Ada");
        Assert.Equal("user", (await app.SignUpAsync("Bob")).Role);
    }

    [Fact]
    public async Task AnAdminCanReopenSignup()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var update = await admin.Client.PostAsJsonAsync("/api/v1/auths/admin/config", new { ENABLE_SIGNUP = true, DEFAULT_USER_ROLE = "user" });
        await Json.ReadObjectAsync(update, 200);
        Assert.Equal("user", (await app.SignUpAsync("Bob")).Role);
    }

    [Fact]
    public async Task DuplicateEmailInAnyCaseIsRefused()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });
        await app.SignUpAsync("Ada", "ada@example.com");
        var again = await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "Ada2", email = "ADA@Example.COM", password = "pw" });
        await Json.AssertDetailAsync(again, 400,
            "Uh-oh! This email is already registered. Sign in with your existing account or choose another email to start anew.");
    }

    [Fact]
    public async Task MalformedEmailIsRefusedAndNothingIsWritten()
    {
        await using var app = await StartAsync();
        var response = await app.Client().PostAsJsonAsync("/api/v1/auths/signup", new { name = "A", email = "not-an-email", password = "pw" });
        Assert.Equal(400, (int)response.StatusCode);
        // Still the first user: nothing was written by the refused request.
        Assert.Equal("admin", (await app.SignUpAsync("Ada")).Role);
    }

    [Fact]
    public async Task ConcurrentFirstSignupsMakeExactlyOneAdmin()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });
        var attempts = Enumerable.Range(0, 6).Select(i => app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = $"U{i}", email = $"u{i}@example.com", password = "pw" }));
        var responses = await Task.WhenAll(attempts);
        var roles = new List<string>();
        foreach (var response in responses)
        {
            roles.Add((await Json.ReadObjectAsync(response, 200))["role"]!.GetValue<string>());
        }
        Assert.Single(roles, r => r == "admin");
    }
}

public sealed class SignupTestsOnSqlite() : SignupTests(DatabaseKind.Sqlite);
public sealed class SignupTestsOnPostgres() : SignupTests(DatabaseKind.Postgres);
