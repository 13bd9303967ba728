using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

/// <summary><c>GET /api/config</c> as Open WebUI 0.11's clients read it before and after signing in.</summary>
public abstract class PublicConfigTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task AnyoneGetsTheSignInFactsAndSignedInUsersTheRest()
    {
        await using var app = await StartAsync();
        var fresh = await Json.ReadObjectAsync(await app.Client().GetAsync("/api/config"), 200);
        Assert.True(fresh["onboarding"]!.GetValue<bool>());
        Assert.True(fresh["status"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(fresh["version"]!.GetValue<string>()));
        Assert.True(fresh["features"]!["auth"]!.GetValue<bool>());
        Assert.True(fresh["features"]!["enable_signup"]!.GetValue<bool>());
        Assert.Null(fresh["features"]!["enable_folders"]);
        Assert.Null(fresh["permissions"]);

        var ada = await app.SignUpAsync("Ada");
        var anonymous = await Json.ReadObjectAsync(await app.Client().GetAsync("/api/config"), 200);
        Assert.Null(anonymous["onboarding"]);
        // Sign-up closes behind the first user unless ENABLE_SIGNUP says otherwise.
        Assert.False(anonymous["features"]!["enable_signup"]!.GetValue<bool>());

        var signedIn = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/config"), 200);
        Assert.True(signedIn["features"]!["enable_folders"]!.GetValue<bool>());
        Assert.True(signedIn["features"]!["enable_api_keys"]!.GetValue<bool>());
        Assert.True(signedIn["permissions"]!["chat"]!["delete"]!.GetValue<bool>());
        await ada.Client.PostAsync("/api/v1/auths/admin/config", Json.Raw("""{"ENABLE_FOLDERS": false, "ENABLE_SIGNUP": true}""")).SucceedsAsync();
        signedIn = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/config"), 200);
        Assert.False(signedIn["features"]!["enable_folders"]!.GetValue<bool>());
        Assert.True(signedIn["features"]!["enable_signup"]!.GetValue<bool>());

        await Json.AssertDetailAsync(await app.Client("not-a-token").GetAsync("/api/config"), 401, "Invalid token");
    }

    [Fact]
    public async Task WithAuthenticationOffFeaturesAuthIsFalse()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["WEBUI_AUTH"] = "false" });
        var config = await Json.ReadObjectAsync(await app.Client().GetAsync("/api/config"), 200);
        Assert.False(config["features"]!["auth"]!.GetValue<bool>());
        Assert.False(config["features"]!["enable_signup"]!.GetValue<bool>());
    }
}

public sealed class PublicConfigTestsOnSqlite() : PublicConfigTests(DatabaseKind.Sqlite);
public sealed class PublicConfigTestsOnPostgres() : PublicConfigTests(DatabaseKind.Postgres);
