using System.Net.Http.Json;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

/// <summary>Open WebUI 0.11's account self-service under /api/v1/users/user/..., the profile fields, usage and profile images.</summary>
public abstract class AccountTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string Prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";

    [Theory]
    [InlineData("settings")]
    [InlineData("info")]
    public async Task UpdatingOneKeyKeepsTheOthers(string part)
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        Assert.Null(await Json.ReadAsync(await bob.Client.GetAsync($"/api/v1/users/user/{part}"), 200));
        await bob.Client.PostAsync($"/api/v1/users/user/{part}/update", Json.Raw("""{"ui": {"theme": "dark"}, "keep": 1}""")).SucceedsAsync();
        var merged = await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/users/user/{part}/update", Json.Raw("""{"ui": {"lang": "fr"}}""")), 200);
        Assert.Equal("""{"ui":{"lang":"fr"},"keep":1}""", merged.ToJsonString());
        Assert.Equal(merged.ToJsonString(), (await Json.ReadObjectAsync(await bob.Client.GetAsync($"/api/v1/users/user/{part}"), 200)).ToJsonString());
        // Each user has their own.
        Assert.Null(await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/users/user/{part}"), 200));
    }

    [Fact]
    public async Task SettingsNeedTheInterfacePermissionToChange()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ada.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"settings": {"interface": false}}""")).SucceedsAsync();
        await Json.AssertDetailAsync(await bob.Client.PostAsync("/api/v1/users/user/settings/update", Json.Raw("""{"ui": {}}""")), 403, Prohibited);
        Assert.Null(await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/users/user/settings"), 200));
        Assert.Equal(200, (int)(await ada.Client.PostAsync("/api/v1/users/user/settings/update", Json.Raw("""{"ui": {}}"""))).StatusCode);
    }

    [Fact]
    public async Task StatusIsSetFieldByFieldAndCanBeSwitchedOff()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var set = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/users/user/status/update",
            new { status_emoji = "🌴", status_message = "Away", status_expires_at = 1_900_000_000 }), 200);
        Assert.Equal(ada.Id, set["id"]!.GetValue<string>());
        Assert.Equal("🌴", set["status_emoji"]!.GetValue<string>());
        await ada.Client.PostAsJsonAsync("/api/v1/users/user/status/update", new { status_message = "Back soon" }).SucceedsAsync();
        var read = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/user/status"), 200);
        Assert.Equal("🌴", read["status_emoji"]!.GetValue<string>());
        Assert.Equal("Back soon", read["status_message"]!.GetValue<string>());
        Assert.Equal(1_900_000_000, read["status_expires_at"]!.GetValue<long>());

        await using var off = await StartAsync(new Dictionary<string, string?> { ["ENABLE_USER_STATUS"] = "false" });
        var carl = await off.SignUpAsync("Carl");
        await Json.AssertDetailAsync(await carl.Client.GetAsync("/api/v1/users/user/status"), 403,
            "The requested action has been restricted as a security measure.");
    }

    [Fact]
    public async Task TheProfileCarriesBioGenderAndDateOfBirth()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var updated = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile",
            new { name = "Ada L.", bio = "Counts things", gender = "female", date_of_birth = "1815-12-10" }), 200);
        Assert.Equal("Ada L.", updated["name"]!.GetValue<string>());
        Assert.Equal("Counts things", updated["bio"]!.GetValue<string>());
        Assert.Equal("1815-12-10", updated["date_of_birth"]!.GetValue<string>());
        var renamed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile", new { name = "Ada" }), 200);
        Assert.Equal("female", renamed["gender"]!.GetValue<string>());
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile", new { name = "Ada", date_of_birth = "10/12/1815" }));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile",
            new { name = "Ada", profile_image_url = "javascript:alert(1)" }));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile",
            new { name = "Ada", profile_image_url = "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" }));
    }

    [Fact]
    public async Task ProfileImagesAreServedAsStoredOrTheDefault()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");
        await ada.Client.PostAsJsonAsync("/api/v1/auths/update/profile", new { name = "Ada", profile_image_url = "data:image/png;base64," + Convert.ToBase64String(png) }).SucceedsAsync();
        var image = await bob.Client.GetAsync($"/api/v1/users/{ada.Id}/profile/image");
        Assert.Equal(200, (int)image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        var fallback = await ada.Client.GetAsync($"/api/v1/users/{bob.Id}/profile/image");
        Assert.Equal("image/png", fallback.Content.Headers.ContentType!.MediaType);
        Assert.NotEqual(png, await fallback.Content.ReadAsByteArrayAsync());
        Assert.Equal(400, (int)(await ada.Client.GetAsync("/api/v1/users/nobody/profile/image")).StatusCode);
    }

    [Fact]
    public async Task UsageCountsTheCallersMessagesInThePeriod()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + 86_400));
        await using var app = await StartAsync(clock: clock);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ChatDocs.CreateIdAsync(ada, "Two turns", 2);
        await ChatDocs.CreateIdAsync(bob, "Bob's", 3);
        var usage = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/users/usage?days=7"), 200);
        Assert.Equal(4, usage["totals"]!["messages"]!.GetValue<int>());
        Assert.Equal(2, usage["totals"]!["user_messages"]!.GetValue<int>());
        Assert.Equal(1, usage["totals"]!["total_chats"]!.GetValue<long>());
        Assert.Equal(1, usage["totals"]!["active_days"]!.GetValue<int>());
        Assert.Equal("llama3", usage["top_models"]![0]!["model_id"]!.GetValue<string>());
        Assert.Equal(2, usage["top_models"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(7, usage["heatmap"]!.AsArray().Count);
        Assert.Equal(7, usage["period"]!["days"]!.GetValue<int>());
        Assert.Equal(50.0, usage["insights"]!["user_message_share"]!.GetValue<double>());
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/v1/users/usage?days=3"));
        await Json.AssertDetailAsync(await ada.Client.GetAsync("/api/v1/users/usage?start_date=20&end_date=10"), 400, "start_date must be before end_date");
    }
}

public sealed class AccountTestsOnSqlite() : AccountTests(DatabaseKind.Sqlite);
public sealed class AccountTestsOnPostgres() : AccountTests(DatabaseKind.Postgres);
