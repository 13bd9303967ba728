using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Groups;

/// <summary>Open WebUI 0.11's groups: the admin's routes, what members see, and group permissions added to the defaults.</summary>
public abstract class GroupTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string NotFound = "We could not find what you're looking for :/";
    private const string Prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";

    internal static async Task<string> CreateGroupAsync(TestUser admin, string name, object? permissions = null, params TestUser[] members)
    {
        var created = await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync("/api/v1/groups/create",
            new { name, description = $"{name} team", permissions }), 200);
        var id = created["id"]!.GetValue<string>();
        if (members.Length > 0)
        {
            await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/users/add",
                new { user_ids = members.Select(m => m.Id) }), 200);
        }
        return id;
    }

    private static async Task<List<string>> ListedAsync(TestUser user, string query = "") =>
        (await Json.ReadAsync(await user.Client.GetAsync($"/api/v1/groups/{query}"), 200))!.AsArray()
            .Select(g => g!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task AGroupIsCreatedRenamedAndDeleted()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var created = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/groups/create",
            new { name = "Team", description = "a team", permissions = new { workspace = new { models = true } } }), 200);
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(ada.Id, created["user_id"]!.GetValue<string>());
        Assert.Equal(0, created["member_count"]!.GetValue<long>());
        Assert.True(created["permissions"]!["workspace"]!["models"]!.GetValue<bool>());
        Assert.Contains(id, await ListedAsync(ada));

        var renamed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/update",
            new { name = "Team renamed", description = "renamed" }), 200);
        Assert.Equal("Team renamed", renamed["name"]!.GetValue<string>());
        // Permissions not posted are kept, as upstream drops the nulls of an update.
        Assert.True(renamed["permissions"]!["workspace"]!["models"]!.GetValue<bool>());
        var stored = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/groups/id/{id}"), 200);
        Assert.Equal(("Team renamed", "renamed"), (stored["name"]!.GetValue<string>(), stored["description"]!.GetValue<string>()));

        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/groups/id/{id}/delete"), 200))!.GetValue<bool>());
        Assert.DoesNotContain(id, await ListedAsync(ada));
        await Json.AssertDetailAsync(await ada.Client.GetAsync($"/api/v1/groups/id/{id}"), 401, NotFound);
        await Json.AssertDetailAsync(await ada.Client.DeleteAsync($"/api/v1/groups/id/{id}/delete"), 404, NotFound);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/update", new { name = "x", description = "" }), 404, NotFound);
    }

    [Fact]
    public async Task MembersSeeTheirGroupsAndAnyoneResolvesAGroupsName()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var carl = await app.AddUserAsync(ada, "Carl");
        var id = await CreateGroupAsync(ada, "Team", new { chat = new { controls = true } });
        // Unknown ids are skipped, as upstream keeps only valid user ids; adding twice changes nothing.
        var added = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/users/add",
            new { user_ids = new[] { bob.Id, "nobody", bob.Id } }), 200);
        Assert.Equal(1, added["member_count"]!.GetValue<long>());

        Assert.Equal([id], await ListedAsync(bob));
        Assert.Empty(await ListedAsync(carl));
        var info = await Json.ReadObjectAsync(await carl.Client.GetAsync($"/api/v1/groups/id/{id}/info"), 200);
        Assert.Equal(("Team", 1L), (info["name"]!.GetValue<string>(), info["member_count"]!.GetValue<long>()));
        Assert.False(info.ContainsKey("permissions"));
        Assert.False(info.ContainsKey("user_ids"));
        await Json.AssertDetailAsync(await carl.Client.GetAsync($"/api/v1/groups/id/{Guid.NewGuid()}/info"), 401, NotFound);

        // The full group, its export and its members stay with the admins.
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/v1/groups/id/{id}"), 401, Prohibited);
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/v1/groups/id/{id}/export"), 401, Prohibited);
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/groups/id/{id}/users", null), 401, Prohibited);
        var export = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/groups/id/{id}/export"), 200);
        Assert.Equal([bob.Id], export["user_ids"]!.AsArray().Select(u => u!.GetValue<string>()));
        var members = (await Json.ReadAsync(await ada.Client.PostAsync($"/api/v1/groups/id/{id}/users", null), 200))!.AsArray();
        Assert.Equal("bob@example.com", Assert.Single(members)!["email"]!.GetValue<string>());
        var bobAsAdminSeesHim = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/users/{bob.Id}"), 200);
        Assert.Equal(id, Assert.Single(bobAsAdminSeesHim["groups"]!.AsArray())!["id"]!.GetValue<string>());

        var removed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/users/remove",
            new { user_ids = new[] { bob.Id } }), 200);
        Assert.Equal(0, removed["member_count"]!.GetValue<long>());
        Assert.Empty(await ListedAsync(bob));
        Assert.Empty((await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/users/{bob.Id}"), 200))["groups"]!.AsArray());
    }

    [Fact]
    public async Task TheShareFilterFollowsTheGroupsShareSetting()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var open = await CreateGroupAsync(ada, "Open");
        var membersOnly = await CreateGroupAsync(ada, "Members", null, bob);
        var othersOnly = await CreateGroupAsync(ada, "Others");
        var closed = await CreateGroupAsync(ada, "Closed", null, bob);
        foreach (var (id, share) in new[] { (membersOnly, (object)"members"), (othersOnly, "members"), (closed, false) })
        {
            await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/update",
                new { name = "g", description = "", data = new { config = new { share } } }), 200);
        }
        Assert.Equal(new[] { open, membersOnly }.Order(), (await ListedAsync(bob, "?share=true")).Order());
        Assert.Equal([closed], await ListedAsync(bob, "?share=false"));
        Assert.Equal(4, (await ListedAsync(ada, "?share=true")).Count);
    }

    [Fact]
    public async Task GroupPermissionsAddToTheDefaultsAndNeverTakeAway()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var carl = await app.AddUserAsync(ada, "Carl");
        await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/users/default/permissions",
            Json.Raw("""{"settings": {"interface": false}, "features": {"folders": true}}""")), 200);
        var granting = await CreateGroupAsync(ada, "Granting", new { settings = new { @interface = true } }, bob);
        // A group that switches a default off, or disagrees with another group, takes nothing away.
        await CreateGroupAsync(ada, "Denying", new { settings = new { @interface = false }, features = new { folders = false } }, bob, carl);

        var listed = await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/users/permissions"), 200);
        var session = await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/auths/"), 200);
        Assert.True(listed["settings"]!["interface"]!.GetValue<bool>());
        Assert.Equal(listed.ToJsonString(), session["permissions"]!.ToJsonString());
        Assert.True(listed["features"]!["folders"]!.GetValue<bool>());
        Assert.False((await Json.ReadObjectAsync(await carl.Client.GetAsync("/api/v1/users/permissions"), 200))["settings"]!["interface"]!.GetValue<bool>());
        // The server holds them to it.
        Assert.Equal(200, (int)(await bob.Client.PostAsync("/api/v1/users/user/settings/update", Json.Raw("{}"))).StatusCode);
        Assert.Equal(403, (int)(await carl.Client.PostAsync("/api/v1/users/user/settings/update", Json.Raw("{}"))).StatusCode);
        Assert.Equal(200, (int)(await carl.Client.GetAsync("/api/v1/folders/")).StatusCode);

        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{granting}/users/remove", new { user_ids = new[] { bob.Id } }), 200);
        Assert.Equal(403, (int)(await bob.Client.PostAsync("/api/v1/users/user/settings/update", Json.Raw("{}"))).StatusCode);
        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{granting}/users/add", new { user_ids = new[] { bob.Id } }), 200);
        await ada.Client.DeleteAsync($"/api/v1/groups/id/{granting}/delete").SucceedsAsync();
        Assert.False((await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/users/permissions"), 200))["settings"]!["interface"]!.GetValue<bool>());
    }

    [Fact]
    public async Task BadBodiesAndNonAdminsChangeNothing()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/groups/create", Json.Raw("""{"name": "No description"}""")));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/groups/create", Json.Raw("""{"name": 3, "description": ""}""")));
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/groups/create",
            Json.Raw("""{"name": "T", "description": "", "permissions": {"chat": {"delete": "yes"}}}""")));
        Assert.Equal("permissions.chat.delete", issue["loc"]![1]!.GetValue<string>());
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/groups/create", new { name = "Mine", description = "" }), 401, Prohibited);
        Assert.Empty(await ListedAsync(ada));

        var id = await CreateGroupAsync(ada, "Team");
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync($"/api/v1/groups/id/{id}/users/add", Json.Raw("""{"user_ids": "bob"}""")));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync($"/api/v1/groups/id/{id}/update",
            Json.Raw("""{"name": "T", "description": "", "permissions": {"features": []}}""")));
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync($"/api/v1/groups/id/{id}/users/add", new { user_ids = new[] { bob.Id } }), 401, Prohibited);
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync($"/api/v1/groups/id/{id}/delete"), 401, Prohibited);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/nope/users/add", new { user_ids = new[] { bob.Id } }), 404, NotFound);
        var group = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/groups/id/{id}"), 200);
        Assert.Equal(("Team", 0L), (group["name"]!.GetValue<string>(), group["member_count"]!.GetValue<long>()));
        Assert.Null(group["permissions"]);
    }

    [Fact]
    public async Task ADeletedUserLeavesTheirGroups()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = await CreateGroupAsync(ada, "Team", null, bob);
        Assert.Equal(200, (int)(await ada.Client.DeleteAsync($"/api/v1/users/{bob.Id}")).StatusCode);
        var group = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/groups/id/{id}"), 200);
        Assert.Equal(0, group["member_count"]!.GetValue<long>());
    }
}

public sealed class GroupTestsOnSqlite() : GroupTests(DatabaseKind.Sqlite);
public sealed class GroupTestsOnPostgres() : GroupTests(DatabaseKind.Postgres);
