using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Auth;

/// <summary>
/// What a profile image may be (other users' browsers load it), who may change a profile or password, and
/// how long a password may be.
/// </summary>
public abstract class ProfileAndPasswordRulesTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string AccessProhibited =
        "You do not have permission to access this resource. Please contact your administrator for assistance.";
    private const string PasswordTooLong =
        "Uh-oh! The password you entered is too long. Please make sure your password is less than 72 bytes long.";
    internal const string TinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    [Theory]
    [InlineData("")]
    [InlineData("/user.png")]
    [InlineData(TinyPng)]
    [InlineData("data:image/webp;base64,UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")]
    public async Task TheDefaultImageAndSmallInlineRasterImagesAreAccepted(string image)
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var updated = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile",
            new { name = "Ada", profile_image_url = image }), 200);
        Assert.Equal(image, updated["profile_image_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheInlineImageBoundIsTheOpenWebUiSetting()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["PROFILE_IMAGE_MAX_DATA_URI_SIZE"] = "64" });
        var ada = await app.SignUpAsync("Ada");
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile",
            new { name = "Ada", profile_image_url = TinyPng }));
        Assert.Equal($"Value error, Invalid profile image URL: it is {TinyPng.Length} characters, over the limit of 64 (setting PROFILE_IMAGE_MAX_DATA_URI_SIZE).",
            issue["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task PendingUsersCannotChangeTheirProfileOrPassword()
    {
        var app = shared.App;
        var ada = await shared.NewUserAsync("Ada", "admin");
        var pat = await shared.NewUserAsync("Pat", "pending");
        await Json.AssertDetailAsync(await pat.Client.PostAsJsonAsync("/api/v1/auths/update/profile",
            new { name = "Someone else", profile_image_url = TinyPng }), 401, AccessProhibited);
        await Json.AssertDetailAsync(await pat.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = pat.Password, new_password = "taken over" }), 401, AccessProhibited);

        var stored = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/users/{pat.Id}"), 200);
        Assert.StartsWith("Pat-", stored["name"]!.GetValue<string>());
        Assert.Equal("/user.png", stored["profile_image_url"]!.GetValue<string>());
        await app.SignInAsync(pat.Email, pat.Password);
    }

    [Fact]
    public async Task PasswordsOver72BytesAreRefusedEverywhereAndNothingChanges()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var huge = new string('p', 100_000);
        var seventyFourBytes = new string('é', 37);

        foreach (var password in new[] { huge, seventyFourBytes })
        {
            await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
                new { name = "Eve", email = "eve@example.com", password }), 400, PasswordTooLong);
            await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/add",
                new { name = "Mal", email = "mal@example.com", password }), 400, PasswordTooLong);
            await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/auths/update/password",
                new { password = bob.Password, new_password = password }), 400, PasswordTooLong);
            await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { password }), 400, PasswordTooLong);
            // Sign-in only says it is wrong: an account made before the 72-byte rule may have a longer one.
            var refused = await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = bob.Email, password });
            Assert.Equal(400, (int)refused.StatusCode);
            Assert.StartsWith("The email or password provided is incorrect", (await Json.ReadObjectAsync(refused, 400))["detail"]!.GetValue<string>());
        }

        Assert.Equal(2, (await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/"), 200))["total"]!.GetValue<long>());
        await app.SignInAsync(bob.Email, bob.Password);
        // 72 bytes exactly is fine (36 two-byte characters).
        var longest = new string('é', 36);
        Assert.True((await Json.ReadAsync(await bob.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = bob.Password, new_password = longest }), 200))!.GetValue<bool>());
        await app.SignInAsync(bob.Email, longest);
    }

    [Theory]
    [InlineData(null, "The password does not meet the required validation criteria.")]
    [InlineData("Use 8+ characters with a digit, a symbol and both cases.", "Use 8+ characters with a digit, a symbol and both cases.")]
    public async Task PasswordValidationAppliesWhereverAPasswordIsSet(string? hint, string detail)
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["ENABLE_SIGNUP"] = "true", ["ENABLE_PASSWORD_VALIDATION"] = "true", ["PASSWORD_VALIDATION_HINT"] = hint,
        });
        const string strong = "Correct-Horse-9";
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "Ada", email = "ada@example.com", password = "correct horse" }), 400, detail);
        var ada = await app.SignUpAsync("Ada", password: strong);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "Bob", email = "bob@example.com", password = "Sh0rt!" }), 400, detail);
        var bob = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "Bob", email = "bob@example.com", password = strong, role = "user" }), 200);
        var bobId = bob["id"]!.GetValue<string>();
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = strong, new_password = "alllowercase1!" }), 400, detail);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/users/{bobId}/update", new { password = "NoDigits!!" }), 400, detail);
        Assert.True((await Json.ReadAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = strong, new_password = "Another-Good-1" }), 200))!.GetValue<bool>());
        await app.SignInAsync("ada@example.com", "Another-Good-1");
    }

    [Fact]
    public async Task APatternOfOnesOwnReplacesTheDefault()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["ENABLE_PASSWORD_VALIDATION"] = "true", ["PASSWORD_VALIDATION_REGEX_PATTERN"] = @"\d{4}",
        });
        // Matched from the start, as Python's re.match does: "1234abc" passes, "abc1234" does not.
        await Json.AssertDetailAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "Ada", email = "ada@example.com", password = "abc1234" }), 400, "The password does not meet the required validation criteria.");
        await app.SignUpAsync("Ada", password: "1234abc");
    }

    [Fact]
    public async Task AnAccountWhosePasswordPredatesThe72ByteRuleStillSignsInAndCanChangeIt()
    {
        var app = shared.App;
        var bob = await shared.NewUserAsync("Bob");
        // As an earlier version stored it: a 100-byte password, hashed.
        var legacy = new string('x', 100);
        var database = app.Services.GetRequiredService<Hearth.Server.Storage.Database>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE users SET password_hash = @hash WHERE id = @id",
                new { hash = Hearth.Server.Auth.Secrets.HashPassword(legacy), id = bob.Id });
        }
        var again = await app.SignInAsync(bob.Email, legacy);
        Assert.True((await Json.ReadAsync(await again.Client.PostAsJsonAsync("/api/v1/auths/update/password",
            new { password = legacy, new_password = "a shorter one" }), 200))!.GetValue<bool>());
        await app.SignInAsync(bob.Email, "a shorter one");
        // A password far past any that was ever stored is not even hashed.
        var huge = await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = bob.Email, password = new string('x', 100_000) });
        Assert.Equal(400, (int)huge.StatusCode);
    }
}

public sealed class ProfileAndPasswordRulesTestsOnSqlite(SharedApp.OnSqlite shared)
    : ProfileAndPasswordRulesTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ProfileAndPasswordRulesTestsOnPostgres(SharedApp.OnPostgres shared)
    : ProfileAndPasswordRulesTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;

/// <summary>
/// Unsafe profile images are refused while the request is read, before any store is asked: nothing here differs
/// by database, so it runs once, on SQLite, on one server with sign-up open.
/// </summary>
public sealed class UnsafeProfileImageTests(UnsafeProfileImageTests.SignupOpen server) : IClassFixture<UnsafeProfileImageTests.SignupOpen>
{
    public sealed class SignupOpen() : SharedApp(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });

    private static async Task<long> TotalAsync(TestUser admin) =>
        (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/"), 200))["total"]!.GetValue<long>();

    public static TheoryData<string> RefusedImages() => new()
    {
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "data:image/png;base64,AAAA\"><img src=x onerror=alert(1)>",
        "https://tracker.example/pixel.gif?who=ada",
        "http://tracker.example/pixel.gif",
        "//tracker.example/pixel.gif",
        "/api/v1/auths/signout",
        "data:image/png;base64," + new string('A', 300_000),
    };

    [Theory]
    [MemberData(nameof(RefusedImages))]
    public async Task UnsafeProfileImagesAre422WhereverTheyAreSetAndChangeNothing(string image)
    {
        var (app, ada) = (server.App, server.Ada);
        var bob = await server.NewUserAsync("Bob");
        var total = await TotalAsync(ada);

        await AssertRefusedAsync(await app.Client().PostAsJsonAsync("/api/v1/auths/signup",
            new { name = "Newcomer", email = "newcomer@example.com", password = "pw", profile_image_url = image }));
        await AssertRefusedAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "Mal", email = "mal@example.com", password = "pw", profile_image_url = image }));
        await AssertRefusedAsync(await bob.Client.PostAsJsonAsync("/api/v1/auths/update/profile", new { name = "Bob", profile_image_url = image }));
        await AssertRefusedAsync(await ada.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { profile_image_url = image }));

        Assert.Equal(total, await TotalAsync(ada));
        foreach (var user in new[] { ada, bob })
        {
            var stored = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/users/{user.Id}"), 200);
            Assert.Equal("/user.png", stored["profile_image_url"]!.GetValue<string>());
        }
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        var issue = await Json.AssertValidationErrorAsync(response);
        Assert.Equal("""["body","profile_image_url"]""", issue["loc"]!.ToJsonString());
        Assert.StartsWith("Value error, Invalid profile image URL", issue["msg"]!.GetValue<string>());
    }
}
