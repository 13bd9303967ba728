using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.Completions;
using Hearth.Tests.Groups;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Models;

/// <summary>
/// Open WebUI 0.11's workspace models: entries over a connection's model with access grants, what <c>/api/models</c>
/// lists to whom, and completions that apply an entry's params and refuse a model the caller may not use.
/// </summary>
public abstract class WorkspaceModelTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string NotFound = "We could not find what you're looking for :/";
    private const string Prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";

    private static readonly object EveryoneReads = new { principal_type = "user", principal_id = "*", permission = "read" };

    /// <summary>What upstream's test harness does before its users chat: the admin shares a connection's model with everyone.</summary>
    internal static async Task PublishAsync(TestUser admin, string model) =>
        await Json.ReadObjectAsync(await admin.Client.PostAsJsonAsync("/api/v1/models/create",
            new { id = model, name = model, access_grants = new[] { EveryoneReads } }), 200);

    private Task<HearthApp> StartWithAsync(ScriptedModelServer model) =>
        StartAsync(new Dictionary<string, string?> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });

    private static async Task<List<string>> ModelIdsAsync(TestUser user) =>
        (await Json.ReadObjectAsync(await user.Client.GetAsync("/api/models"), 200))["data"]!.AsArray()
            .Select(m => m!["id"]!.GetValue<string>()).ToList();

    private static Task<HttpResponseMessage> AskAsync(TestUser user, string model) =>
        user.Client.PostAsJsonAsync("/api/chat/completions", new { model, messages = new[] { new { role = "user", content = "Hi" } } });

    [Fact]
    public async Task AConnectionsModelIsTheAdminsUntilPublished()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Hello"]));
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        Assert.Equal(["gpt-test"], await ModelIdsAsync(ada));
        Assert.Empty(await ModelIdsAsync(bob));
        await Json.AssertDetailAsync(await AskAsync(bob, "gpt-test"), 400, "Model not found");
        Assert.Equal(404, (int)(await bob.Client.GetAsync("/api/models/gpt-test")).StatusCode);
        Assert.Empty(model.Requests);

        var published = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/models/create",
            new { id = "gpt-test", name = "GPT Test", access_grants = new[] { EveryoneReads } }), 200);
        Assert.Equal("*", published["access_grants"]![0]!["principal_id"]!.GetValue<string>());
        Assert.Null(published["base_model_id"]);
        var listed = (await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/models"), 200))["data"]!.AsArray().Single()!;
        Assert.Equal(("gpt-test", "GPT Test"), (listed["id"]!.GetValue<string>(), listed["name"]!.GetValue<string>()));
        Assert.Equal(200, (int)(await AskAsync(bob, "gpt-test")).StatusCode);
        Assert.True(model.Requests.TryDequeue(out var sent));
        Assert.Equal("gpt-test", sent["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEntryOverABaseModelAppliesItsSystemPromptAndParams()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Ahoy"]));
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/models/create", new
        {
            id = "pirate", name = "Pirate", base_model_id = "gpt-test",
            @params = new { system = "Talk like a pirate.", temperature = 0.2 }, meta = new { description = "Arr" },
            access_grants = new[] { new { principal_type = "user", principal_id = bob.Id, permission = "read" } },
        }), 200);
        Assert.Equal(["pirate"], await ModelIdsAsync(bob));
        var answer = await bob.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "pirate", temperature = 1.5,
            messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Hi" } },
        });
        Assert.Equal(200, (int)answer.StatusCode);
        Assert.True(model.Requests.TryDequeue(out var sent));
        Assert.Equal("gpt-test", sent["model"]!.GetValue<string>());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>());
        Assert.Equal("Talk like a pirate.\nBe brief.", sent["messages"]![0]!["content"]!.GetValue<string>());
        // A reader sees the entry, not its curated params; the owner sees them.
        var read = await Json.ReadObjectAsync(await bob.Client.GetAsync("/api/v1/models/model?id=pirate"), 200);
        Assert.False(read["write_access"]!.GetValue<bool>());
        Assert.Empty(read["params"]!.AsObject());
        Assert.Equal("Arr", read["meta"]!["description"]!.GetValue<string>());
        var own = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/models/model?id=pirate"), 200);
        Assert.Equal("Talk like a pirate.", own["params"]!["system"]!.GetValue<string>());
    }

    [Fact]
    public async Task GrantsReachUsersAndGroupsAndRevokingStopsAtOnce()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["a"]), new Script(["b"]));
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var carl = await app.AddUserAsync(ada, "Carl");
        var team = await GroupTests.CreateGroupAsync(ada, "Team", null, carl);
        await PublishAsync(ada, "gpt-test");
        var changed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/models/model/access/update", new
        {
            id = "gpt-test", access_grants = new[] { new { principal_type = "group", principal_id = team, permission = "read" } },
        }), 200);
        Assert.Equal("group", Assert.Single(changed["access_grants"]!.AsArray())!["principal_type"]!.GetValue<string>());
        Assert.Empty(await ModelIdsAsync(bob));
        Assert.Equal(["gpt-test"], await ModelIdsAsync(carl));
        Assert.Equal(200, (int)(await AskAsync(carl, "gpt-test")).StatusCode);
        await Json.AssertDetailAsync(await AskAsync(bob, "gpt-test"), 400, "Model not found");
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/models/model?id=gpt-test"), 401, Prohibited);

        await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{team}/users/remove", new { user_ids = new[] { carl.Id } }), 200);
        await Json.AssertDetailAsync(await AskAsync(carl, "gpt-test"), 400, "Model not found");
        Assert.Single(model.Requests);
        // Deleting the group takes its grants with it.
        await ada.Client.DeleteAsync($"/api/v1/groups/id/{team}/delete").SucceedsAsync();
        Assert.Empty((await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/models/model?id=gpt-test"), 200))["access_grants"]!.AsArray());
    }

    [Fact]
    public async Task UsersWithTheWorkspacePermissionMakeTheirOwnEntriesOnModelsTheyMayUse()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        model.Models = ["gpt-test", "secret"];
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var carl = await app.AddUserAsync(ada, "Carl");
        await PublishAsync(ada, "gpt-test");
        var mine = new { id = "bobs", name = "Bob's", base_model_id = "gpt-test" };
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/create", mine), 401, "401 Unauthorized");
        await GroupTests.CreateGroupAsync(ada, "Builders", new { workspace = new { models = true } }, bob);

        // Publishing a connection's own model, or sitting on one they may not use, would reach past their grants.
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/create", new { id = "secret", name = "mine" }), 400,
            "Only admins may publish a connection's own model: give base_model_id, the id of a model you may use.");
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/create", new { id = "s2", name = "s", base_model_id = "secret" }), 400,
            "Model not found");
        // Without access_grants.allow_users and sharing.public_models, grants to users are dropped, not refused.
        await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"access_grants": {"allow_users": false}}""")), 200);
        var created = await Json.ReadObjectAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/create", new
        {
            mine.id, mine.name, mine.base_model_id,
            access_grants = new[] { EveryoneReads, new { principal_type = "user", principal_id = carl.Id, permission = "read" } },
        }), 200);
        Assert.Empty(created["access_grants"]!.AsArray());
        Assert.Equal(bob.Id, created["user_id"]!.GetValue<string>());
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/create", mine), 401,
            "Uh-oh! This id is already registered. Please choose another id string.");
        Assert.Contains("bobs", await ModelIdsAsync(bob));
        Assert.DoesNotContain("bobs", await ModelIdsAsync(carl));

        // Another user may neither change nor delete it; the owner and admins may.
        await Json.AssertDetailAsync(await carl.Client.PostAsJsonAsync("/api/v1/models/model/update", new { id = "bobs", name = "Carl's" }), 400, Prohibited);
        await Json.AssertDetailAsync(await carl.Client.DeleteAsync("/api/v1/models/model/delete?id=bobs"), 401, "401 Unauthorized");
        await Json.AssertDetailAsync(await carl.Client.PostAsJsonAsync("/api/v1/models/model/access/update",
            new { id = "gpt-test", access_grants = Array.Empty<object>() }), 400, Prohibited);
        var renamed = await Json.ReadObjectAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/model/update",
            new { id = "bobs", name = "Bob's best", @params = new { system = "Be kind." } }), 200);
        Assert.Equal(("Bob's best", "gpt-test"), (renamed["name"]!.GetValue<string>(), renamed["base_model_id"]!.GetValue<string>()));
        var listed = (await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/models/"), 200))!.AsArray();
        Assert.True(listed.Single(m => m!["id"]!.GetValue<string>() == "bobs")!["write_access"]!.GetValue<bool>());
        Assert.True((await Json.ReadAsync(await bob.Client.PostAsJsonAsync("/api/v1/models/model/delete", new { id = "bobs" }), 200))!.GetValue<bool>());
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/models/model?id=bobs"), 404, NotFound);
        await Json.AssertDetailAsync(await ada.Client.DeleteAsync("/api/v1/models/model/delete?id=bobs"), 401, NotFound);
    }

    [Fact]
    public async Task BadBodiesAreRefusedAndWriteNothing()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/create", Json.Raw("""{"id": "x"}""")));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/create", Json.Raw("""{"id": "x", "name": "x", "params": []}""")));
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/create",
            Json.Raw("""{"id": "x", "name": "x", "access_grants": [{"principal_type": "team", "principal_id": "t", "permission": "read"}]}""")));
        Assert.Equal("""["body","access_grants",0,"principal_type"]""", issue["loc"]!.ToJsonString());
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/create",
            Json.Raw("""{"id": "x", "name": "x", "access_grants": [{"principal_type": "group", "principal_id": "*", "permission": "read"}]}""")));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/create",
            Json.Raw("""{"id": "x", "name": "x", "access_grants": [{"principal_type": "user", "principal_id": "u", "permission": "admin"}]}""")));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/create", Json.Raw("""{"id": "x", "name": "x", "access_grants": {}}""")));
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/models/create", new { id = new string('m', 257), name = "long" }), 400,
            "The model id is too long. Please make sure your model id is less than 256 characters long.");
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync("/api/v1/models/model/access/update", Json.Raw("""{"id": "gpt-test"}""")));
        Assert.Empty((await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/models/"), 200))!.AsArray());
        Assert.Equal(0, (await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/models/list"), 200))["total"]!.GetValue<int>());
        await Json.AssertDetailAsync(await ada.Client.GetAsync("/api/v1/models/model?id=x"), 404, NotFound);
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/models/model/update", new { id = "x", name = "x" }), 401, NotFound);
    }

    [Fact]
    public async Task ADeactivatedEntryIsUsedByAdminsOnly()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartWithAsync(model);
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await PublishAsync(ada, "gpt-test");
        var toggled = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/models/model/toggle?id=gpt-test", null), 200);
        Assert.False(toggled["is_active"]!.GetValue<bool>());
        Assert.Empty(await ModelIdsAsync(bob));
        Assert.Equal(["gpt-test"], await ModelIdsAsync(ada));
        await Json.AssertDetailAsync(await bob.Client.PostAsync("/api/v1/models/model/toggle?id=gpt-test", null), 401, "401 Unauthorized");
    }

    [Fact]
    public async Task BypassingModelAccessControlOpensEveryModel()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(), ["BYPASS_MODEL_ACCESS_CONTROL"] = "true",
        });
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        Assert.Equal(["gpt-test"], await ModelIdsAsync(bob));
    }
}

public sealed class WorkspaceModelTestsOnSqlite() : WorkspaceModelTests(DatabaseKind.Sqlite);
public sealed class WorkspaceModelTestsOnPostgres() : WorkspaceModelTests(DatabaseKind.Postgres);
