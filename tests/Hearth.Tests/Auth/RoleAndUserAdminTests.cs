using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

/// <summary>
/// Roles and the admin's user routes. Tests about users they make themselves share one server; those about the first
/// admin, the user list's totals, default permissions or the admin config start their own.
/// </summary>
public abstract class RoleAndUserAdminTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string AccessProhibited =
        "You do not have permission to access this resource. Please contact your administrator for assistance.";
    private const string InvalidToken = "Your session has expired or the token is invalid. Please sign in again.";

    [Fact]
    public async Task PendingUsersMayOnlySeeThemselvesAndSignOut()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        var pending = await shared.NewUserAsync("Pat", "pending");
        Assert.Equal(200, (int)(await pending.Client.GetAsync("/api/v1/auths/")).StatusCode);
        await Json.AssertDetailAsync(await pending.Client.PostAsync("/api/v1/auths/api_key", null), 401, AccessProhibited);
        await Json.AssertDetailAsync(await pending.Client.GetAsync($"/api/v1/users/{admin.Id}"), 401, AccessProhibited);
        Assert.Equal(200, (int)(await pending.Client.GetAsync("/api/v1/auths/signout")).StatusCode);
    }

    [Fact]
    public async Task UsersAreRefusedOnAdminRoutes()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        var user = await shared.NewUserAsync("Bob");
        await Json.AssertDetailAsync(await user.Client.GetAsync("/api/v1/users/"), 401, AccessProhibited);
        await Json.AssertDetailAsync(await user.Client.GetAsync("/api/v1/auths/admin/config"), 401, AccessProhibited);
        await Json.AssertDetailAsync(await user.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "X", email = "x@example.com", password = "pw", role = "admin" }), 401, AccessProhibited);
        await Json.AssertDetailAsync(await user.Client.DeleteAsync($"/api/v1/users/{admin.Id}"), 401, AccessProhibited);
    }

    [Fact]
    public async Task AdminsListAndSearchUsers()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        await app.AddUserAsync(admin, "Bob");
        await app.AddUserAsync(admin, "Carol");
        var all = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/"), 200);
        Assert.Equal(3, all["total"]!.GetValue<long>());
        Assert.Equal(3, all["users"]!.AsArray().Count);
        Assert.Null(all["users"]![0]!["password_hash"]);
        var found = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/?query=caro"), 200);
        Assert.Equal("Carol", Assert.Single(found["users"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal(400, (int)(await admin.Client.GetAsync("/api/v1/users/?order_by=password_hash")).StatusCode);
    }

    [Fact]
    public async Task UsersWhoMayShareWithUsersFindThemByNameOrEmailAndNothingMore()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        await app.AddUserAsync(admin, "Carol");
        await app.AddUserAsync(admin, "Caroline");

        var found = await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/users/search?query=CAROL"), 200);
        Assert.Equal(2, found["total"]!.GetValue<long>());
        var first = found["users"]![0]!.AsObject();
        // By name, A to Z; an id, a name, an email and a picture: no role, no times, no settings.
        Assert.Equal(["Carol", "Caroline"], found["users"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()));
        Assert.Equal(["email", "id", "name", "profile_image_url"], first.Select(p => p.Key).Order());
        Assert.Equal("carol@example.com", first["email"]!.GetValue<string>());
        var byEmail = await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/users/search?query=ada@"), 200);
        Assert.Equal("Ada", Assert.Single(byEmail["users"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal(400, (int)(await bob.Client.GetAsync("/api/v1/users/search?order_by=role")).StatusCode);
        // It finds people, it does not list the server: no short or empty query, no account awaiting approval.
        await app.AddUserAsync(admin, "Patience", "pending");
        foreach (var query in new[] { "", "c", " c " })
        {
            var none = await Json.ReadObjectAsync(await bob.Client.GetAsync($"/api/v1/users/search?query={Uri.EscapeDataString(query)}"), 200);
            Assert.Empty(none["users"]!.AsArray());
            Assert.Equal(0, none["total"]!.GetValue<long>());
        }
        Assert.Equal(0, (await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/users/search?query=patience"), 200))["total"]!.GetValue<long>());
        Assert.Equal(1, (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/search?query=patience"), 200))["total"]!.GetValue<long>());
        Assert.Equal(403, (int)(await app.Client().GetAsync("/api/v1/users/search")).StatusCode);

        // Without access_grants.allow_users nobody but an admin needs to know who is on the server.
        await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"access_grants": {"allow_users": false}}""")), 200);
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/users/search?query=carol"), 403,
            "You may not share with single users (the access_grants.allow_users permission), so you cannot search for them.");
        Assert.Equal(5, (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/search"), 200))["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task AdminsSeeWholeUsersAndOthersOnlyANameAndPicture()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        var full = await Json.ReadObjectAsync(await admin.Client.GetAsync($"/api/v1/users/{bob.Id}"), 200);
        Assert.Equal("bob@example.com", full["email"]!.GetValue<string>());
        var summary = await Json.ReadObjectAsync(await bob.Client.GetAsync($"/api/v1/users/{admin.Id}"), 200);
        Assert.Equal("Ada", summary["name"]!.GetValue<string>());
        Assert.Null(summary["email"]);
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/users/no-such-user"), 400,
            "We could not find what you're looking for :/");
    }

    [Fact]
    public async Task AddingAUserChecksRoleAndEmail()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        var email = $"x-{Guid.NewGuid():N}@example.com";
        Assert.Equal(400, (int)(await admin.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "X", email, password = "pw", role = "superuser" })).StatusCode);
        Assert.Equal(400, (int)(await admin.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "X", email = admin.Email.ToUpperInvariant(), password = "pw" })).StatusCode);
        var added = await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync("/api/v1/auths/add",
            new { name = "X", email, password = "pw" }), 200);
        Assert.Equal("pending", added["role"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(added["token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DemotingAUserRevokesTheirTokens()
    {
        var app = shared.App;
        var admin = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob", "admin");
        var updated = await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update",
            new { role = "user", name = "Robert" }), 200);
        Assert.Equal("user", updated["role"]!.GetValue<string>());
        Assert.Equal("Robert", updated["name"]!.GetValue<string>());
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/auths/"), 401, InvalidToken);
        var again = await app.SignInAsync(bob.Email, bob.Password);
        Assert.Equal("user", again.Role);
    }

    [Fact]
    public async Task UpdatingToAnEmailThatIsTakenChangesNothing()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        Assert.Equal(400, (int)(await admin.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update",
            new { email = "Ada@Example.com", name = "Changed" })).StatusCode);
        var unchanged = await Json.ReadObjectAsync(await admin.Client.GetAsync($"/api/v1/users/{bob.Id}"), 200);
        Assert.Equal("bob@example.com", unchanged["email"]!.GetValue<string>());
        Assert.Equal("Bob", unchanged["name"]!.GetValue<string>());
        Assert.Equal(404, (int)(await admin.Client.PostAsJsonAsync("/api/v1/users/nobody/update", new { name = "X" })).StatusCode);
    }

    [Fact]
    public async Task DeletingAUserRemovesTheirSessionsAndKeys()
    {
        var app = shared.App;
        var admin = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        var key = (await Json.ReadObjectAsync(await bob.Client.PostAsync("/api/v1/auths/api_key", null), 200))["api_key"]!.GetValue<string>();
        Assert.True((await Json.ReadAsync(await admin.Client.DeleteAsync($"/api/v1/users/{bob.Id}"), 200))!.GetValue<bool>());
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/auths/"), 401, InvalidToken);
        Assert.Equal(401, (int)(await app.Client(key).GetAsync("/api/v1/auths/")).StatusCode);
        Assert.Equal(404, (int)(await admin.Client.DeleteAsync($"/api/v1/users/{bob.Id}")).StatusCode);
        // Reading a deleted user is a 400, as Open WebUI 0.11 answers.
        await Json.AssertDetailAsync(await admin.Client.GetAsync($"/api/v1/users/{bob.Id}"), 400, "We could not find what you're looking for :/");
    }

    [Fact]
    public async Task NobodyDeletesThemselvesOrTheFirstAdmin()
    {
        await using var app = await StartAsync();
        var first = await app.SignUpAsync("Ada");
        var second = await app.AddUserAsync(first, "Bob", "admin");
        Assert.Equal(403, (int)(await first.Client.DeleteAsync($"/api/v1/users/{first.Id}")).StatusCode);
        Assert.Equal(403, (int)(await second.Client.DeleteAsync($"/api/v1/users/{first.Id}")).StatusCode);
        Assert.Equal(403, (int)(await second.Client.PostAsJsonAsync($"/api/v1/users/{first.Id}/update", new { role = "user" })).StatusCode);
        Assert.Equal(200, (int)(await first.Client.GetAsync("/api/v1/auths/")).StatusCode);
    }

    [Fact]
    public async Task OnlyTheFirstAdminChangesTheirAccountAndNeverAwayFromAdmin()
    {
        await using var app = await StartAsync();
        var first = await app.SignUpAsync("Ada");
        var second = await app.AddUserAsync(first, "Bob", "admin");
        foreach (var change in new object[] { new { password = "taken over" }, new { email = "bob2@example.com" }, new { name = "Mallory" } })
        {
            await Json.AssertDetailAsync(await second.Client.PostAsJsonAsync($"/api/v1/users/{first.Id}/update", change), 403,
                "Only the first admin can change the first admin's account.");
        }
        await Json.AssertDetailAsync(await first.Client.PostAsJsonAsync($"/api/v1/users/{first.Id}/update", new { role = "user" }), 403,
            "The first admin stays an admin: their role cannot be changed.");
        // Nothing changed: the old password still signs in, and the first admin is still an admin named Ada.
        var again = await app.SignInAsync(first.Email, first.Password);
        Assert.Equal("admin", again.Role);
        Assert.Equal("Ada", (await Json.ReadObjectAsync(await again.Client.GetAsync("/api/v1/auths/"), 200))["name"]!.GetValue<string>());
        var renamed = await Json.ReadObjectAsync(await first.Client.PostAsJsonAsync($"/api/v1/users/{first.Id}/update", new { name = "Ada L." }), 200);
        Assert.Equal("Ada L.", renamed["name"]!.GetValue<string>());
        Assert.Equal("admin", renamed["role"]!.GetValue<string>());
    }

    private const string LastAdminStays =
        "This is the only admin left: make another user an admin before changing their role or deleting them.";

    /// <summary>A Hearth whose first admin has left, with two admins Bob and Carol (the first-admin rule no longer holds one).</summary>
    private async Task<(HearthApp App, TestUser Bob, TestUser Carol)> TwoAdminsWithoutTheFirstAsync()
    {
        var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob", "admin");
        var carol = await app.AddUserAsync(ada, "Carol", "admin");
        Assert.Equal(200, (int)(await ada.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/user")
        {
            Content = JsonContent.Create(new { password = ada.Password }),
        })).StatusCode);
        return (app, bob, carol);
    }

    private static async Task<List<string>> AdminIdsAsync(TestUser admin) =>
        (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/"), 200))["users"]!.AsArray()
            .Where(u => u!["role"]!.GetValue<string>() == "admin").Select(u => u!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task TheLastAdminCannotBeDemotedEvenByTwoAdminsAtOnce()
    {
        var (app, bob, carol) = await TwoAdminsWithoutTheFirstAsync();
        await using var _ = app;
        var answers = await Task.WhenAll(
            bob.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { role = "user" }),
            carol.Client.PostAsJsonAsync($"/api/v1/users/{carol.Id}/update", new { role = "user" }));
        Assert.Single(answers, a => (int)a.StatusCode == 200);
        await Json.AssertDetailAsync(Assert.Single(answers, a => (int)a.StatusCode != 200), 403, LastAdminStays);
        var remaining = (int)answers[0].StatusCode == 200 ? carol : bob;
        Assert.Equal([remaining.Id], await AdminIdsAsync(remaining));

        // The last admin, alone now, cannot demote themself either; the rest of the change is not made.
        foreach (var role in new[] { "user", "pending" })
        {
            await Json.AssertDetailAsync(await remaining.Client.PostAsJsonAsync($"/api/v1/users/{remaining.Id}/update",
                new { role, name = "Renamed" }), 403, LastAdminStays);
        }
        var stored = await Json.ReadObjectAsync(await remaining.Client.GetAsync($"/api/v1/users/{remaining.Id}"), 200);
        Assert.Equal("admin", stored["role"]!.GetValue<string>());
        Assert.NotEqual("Renamed", stored["name"]!.GetValue<string>());
        Assert.Equal(200, (int)(await remaining.Client.PostAsJsonAsync($"/api/v1/users/{remaining.Id}/update",
            new { role = "admin", name = "Renamed" })).StatusCode);
    }

    [Fact]
    public async Task TwoAdminsDeletingEachOtherAtOnceLeaveOneAdmin()
    {
        var (app, bob, carol) = await TwoAdminsWithoutTheFirstAsync();
        await using var _ = app;
        var answers = await Task.WhenAll(
            bob.Client.DeleteAsync($"/api/v1/users/{carol.Id}"),
            carol.Client.DeleteAsync($"/api/v1/users/{bob.Id}"));
        Assert.Single(answers, a => (int)a.StatusCode == 200);
        // The other is refused: by the rule, or, when the first deletion was done before it was even read, because its caller is gone.
        var refused = Assert.Single(answers, a => (int)a.StatusCode != 200);
        Assert.Contains((int)refused.StatusCode, new[] { 401, 403 });
        var remaining = (int)answers[0].StatusCode == 200 ? bob : carol;
        Assert.Equal([remaining.Id], await AdminIdsAsync(remaining));
    }

    [Fact]
    public async Task SignInsRacingADemotionNeverRestoreTheOldRole()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob", "admin");
        // Each sign-in reads the user, checks the slow password hash (tens of milliseconds, six at once on a few
        // cores) and then records the time; the demotion, sent right after them, lands while they hash. Connections
        // are opened first so the sign-ins really start first. The assertions hold in every order the race takes.
        var clients = Enumerable.Range(0, 6).Select(_ => app.Client()).ToList();
        await Task.WhenAll(clients.Select(c => c.GetAsync("/health").SucceedsAsync()));
        var signIns = clients.Select(c => c.PostAsJsonAsync("/api/v1/auths/signin", new { email = bob.Email, password = bob.Password })).ToList();
        var demotion = admin.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { role = "user" });
        await Task.WhenAll([.. signIns, demotion]);
        Assert.All(await Task.WhenAll(signIns), r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(200, (int)(await demotion).StatusCode);
        var stored = await Json.ReadObjectAsync(await admin.Client.GetAsync($"/api/v1/users/{bob.Id}"), 200);
        Assert.Equal("user", stored["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task DefaultPermissionsKeepOpenWebUisShapeAndUnknownKeys()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["USER_PERMISSIONS_CHAT_DELETE"] = "false" });
        var admin = await app.SignUpAsync("Ada");
        var initial = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/default/permissions"), 200);
        Assert.False(initial["chat"]!["delete"]!.GetValue<bool>());
        Assert.True(initial["chat"]!["share"]!.GetValue<bool>());
        foreach (var section in new[] { "workspace", "sharing", "access_grants", "chat", "features", "settings" })
        {
            Assert.NotNull(initial[section]);
        }
        // Every key Open WebUI 0.11 carries, e.g.:
        Assert.False(initial["sharing"]!["public_notes"]!.GetValue<bool>());
        Assert.False(initial["workspace"]!["skills"]!.GetValue<bool>());
        Assert.True(initial["features"]!["folders"]!.GetValue<bool>());
        Assert.True(initial["features"]!["memories"]!.GetValue<bool>());
        Assert.True(initial["chat"]!["valves"]!.GetValue<bool>());
        Assert.True(initial["settings"]!["interface"]!.GetValue<bool>());
        Assert.True(initial["access_grants"]!["allow_users"]!.GetValue<bool>());

        var posted = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/users/default/permissions",
            Json.Raw("""{"chat": {"share": false, "custom_flag": true}, "extra": {"anything": 1}}""")), 200);
        Assert.False(posted["chat"]!["share"]!.GetValue<bool>());
        Assert.True(posted["chat"]!["custom_flag"]!.GetValue<bool>());
        Assert.Equal(1, posted["extra"]!["anything"]!.GetValue<int>());

        await app.RestartAsync();
        using var client = app.Client(admin.Token);
        var stored = await Json.ReadObjectAsync(await client.GetAsync("/api/v1/users/default/permissions"), 200);
        Assert.False(stored["chat"]!["share"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DefaultPermissionsRefuseNonBooleans()
    {
        var admin = await shared.NewUserAsync("Ada", "admin");
        await Json.AssertValidationErrorAsync(await admin.Client.PostAsync("/api/v1/users/default/permissions",
            Json.Raw("""{"chat": {"share": "yes"}}""")));
        var unchanged = await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/users/default/permissions"), 200);
        Assert.True(unchanged["chat"]!["share"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AdminConfigRefusesBadValuesAndKeepsGoodOnes()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        await Json.AssertValidationErrorAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config",
            Json.Raw("""{"DEFAULT_USER_ROLE": "king"}""")));
        await Json.AssertValidationErrorAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config",
            Json.Raw("""{"ENABLE_SIGNUP": "yes"}""")));
        var config = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config",
            Json.Raw("""{"JWT_EXPIRES_IN": "30m", "ENABLE_COMMUNITY_SHARING": false}""")), 200);
        Assert.Equal("30m", config["JWT_EXPIRES_IN"]!.GetValue<string>());
        Assert.False(config["ENABLE_COMMUNITY_SHARING"]!.GetValue<bool>());
        Assert.Equal("pending", config["DEFAULT_USER_ROLE"]!.GetValue<string>());
        // Open WebUI 0.11: a lifetime that cannot be read keeps the old one, with 200, and the rest is saved.
        config = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config",
            Json.Raw("""{"JWT_EXPIRES_IN": "soon", "ENABLE_COMMUNITY_SHARING": true}""")), 200);
        Assert.Equal("30m", config["JWT_EXPIRES_IN"]!.GetValue<string>());
        Assert.True(config["ENABLE_COMMUNITY_SHARING"]!.GetValue<bool>());
        Assert.Equal("30m", (await Json.ReadObjectAsync(await admin.Client.GetAsync("/api/v1/auths/admin/config"), 200))["JWT_EXPIRES_IN"]!.GetValue<string>());
    }
}

public sealed class RoleAndUserAdminTestsOnSqlite(SharedApp.OnSqlite shared)
    : RoleAndUserAdminTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class RoleAndUserAdminTestsOnPostgres(SharedApp.OnPostgres shared)
    : RoleAndUserAdminTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
