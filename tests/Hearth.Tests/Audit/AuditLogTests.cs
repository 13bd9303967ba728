using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Tests.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Audit;

/// <summary>Every security-relevant action leaves one line with actor, action, target, outcome, address and time; secrets never.</summary>
public abstract class AuditLogTests(SharedApp shared)
{
    public static readonly Dictionary<string, string?> Settings = new() { ["AUDIT_LOG_LEVEL"] = "REQUEST_RESPONSE" };

    private Task<JsonObject> Line(string action, string? actorId, string? targetId) =>
        AuditLines.WaitForAsync(shared.App.DataDir,
            l => l["action"].Text() == action && l["actor"]?["id"]?.GetValue<string>() == actorId && l["target"]?["id"]?.GetValue<string>() == targetId,
            $"{action} by {actorId} on {targetId}");

    private static void AssertWellFormed(JsonObject line, string outcome, int status)
    {
        Assert.Equal(outcome, line["outcome"].Text());
        Assert.Equal(status, line["status"]!.GetValue<int>());
        Assert.Equal("127.0.0.1", line["ip"].Text());
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - line["timestamp"]!.GetValue<long>() < 300);
        Assert.True(DateTimeOffset.TryParse(line["time"].Text(), out _));
        Assert.Equal("REQUEST_RESPONSE", line["level"].Text());
    }

    [Fact]
    public async Task AccountActionsAreAuditedWithTheirActorTargetAndOutcome()
    {
        var (app, ada) = (shared.App, shared.Ada);
        var bob = await shared.NewUserAsync("Bob");
        AssertWellFormed(await Line("user.add", ada.Id, bob.Id), "success", 200);
        AssertWellFormed(await Line("auth.signin", bob.Id, bob.Id), "success", 200);

        var promoted = await ada.Client.PostAsJsonAsync($"/api/v1/users/{bob.Id}/update", new { role = "admin" });
        Assert.Equal(200, (int)promoted.StatusCode);
        var role = await Line("user.role.change", ada.Id, bob.Id);
        AssertWellFormed(role, "success", 200);
        Assert.Equal("admin", role["details"]!["role"].Text());
        Assert.Equal("user", role["target"]!["type"].Text());

        var newPassword = $"new-{Guid.NewGuid():N}";
        var changed = await bob.Client.PostAsJsonAsync("/api/v1/auths/update/password", new { password = bob.Password, new_password = newPassword });
        Assert.Equal(200, (int)changed.StatusCode);
        AssertWellFormed(await Line("auth.password.change", bob.Id, bob.Id), "success", 200);

        var key = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/auths/api_key", null), 200);
        AssertWellFormed(await Line("auth.api_key.create", ada.Id, ada.Id), "success", 200);
        Assert.Equal(200, (int)(await ada.Client.DeleteAsync("/api/v1/auths/api_key")).StatusCode);
        AssertWellFormed(await Line("auth.api_key.delete", ada.Id, ada.Id), "success", 200);

        var signedOut = await app.SignInAsync(bob.Email, newPassword);
        Assert.Equal(200, (int)(await signedOut.Client.GetAsync("/api/v1/auths/signout")).StatusCode);
        AssertWellFormed(await Line("auth.signout", bob.Id, bob.Id), "success", 200);

        Assert.Equal(200, (int)(await ada.Client.DeleteAsync($"/api/v1/users/{bob.Id}")).StatusCode);
        AssertWellFormed(await Line("user.delete", ada.Id, bob.Id), "success", 200);

        // Leaving on one's own is audited too, with the password scrubbed like every other.
        var carol = await shared.NewUserAsync("Carol");
        var left = await carol.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/user") { Content = JsonContent.Create(new { password = carol.Password }) });
        Assert.Equal(200, (int)left.StatusCode);
        AssertWellFormed(await Line("user.delete_self", carol.Id, carol.Id), "success", 200);
        Assert.DoesNotContain(carol.Password, string.Concat(AuditLines.Files(app.DataDir).Select(File.ReadAllText)));

        // Not a single secret reached the file: neither password, the API key, nor a session token.
        var everything = string.Concat(AuditLines.Files(app.DataDir).Select(File.ReadAllText));
        Assert.DoesNotContain(newPassword, everything);
        Assert.DoesNotContain(bob.Password, everything);
        Assert.DoesNotContain(key["api_key"].Text()!, everything);
        Assert.DoesNotContain(bob.Token, everything);
        Assert.DoesNotContain(signedOut.Token, everything);
    }

    [Fact]
    public async Task AFailedSigninIsAuditedWithTheEmailTypedButNotThePassword()
    {
        var (app, eve) = (shared.App, shared.Eve);
        var typed = $"guess-{Guid.NewGuid():N}";
        var refused = await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = eve.Email, password = typed });
        Assert.Equal(400, (int)refused.StatusCode);
        var line = await AuditLines.WaitForAsync(app.DataDir,
            l => l["action"].Text() == "auth.signin" && l["outcome"].Text() == "failure" && l["actor"]?["email"].Text() == eve.Email, "the failed sign-in");
        AssertWellFormed(line, "failure", 400);
        Assert.Null(line["actor"]!["id"]);
        Assert.Equal("[removed]", line["request"]!["password"].Text());
        Assert.Equal(eve.Email, line["request"]!["email"].Text());
        Assert.DoesNotContain(typed, string.Concat(AuditLines.Files(app.DataDir).Select(File.ReadAllText)));
    }

    [Fact]
    public async Task SharesGroupsModelGrantsAndAdminReadsAreAudited()
    {
        var ada = shared.Ada;
        var carol = await shared.NewUserAsync("Carol");
        var chatId = await ChatDocs.CreateIdAsync(carol, "Private", 1);
        Assert.Equal(200, (int)(await carol.Client.PostAsync($"/api/v1/chats/{chatId}/share", null)).StatusCode);
        AssertWellFormed(await Line("chat.share.create", carol.Id, chatId), "success", 200);
        Assert.Equal(200, (int)(await carol.Client.DeleteAsync($"/api/v1/chats/{chatId}/share")).StatusCode);
        AssertWellFormed(await Line("chat.share.delete", carol.Id, chatId), "success", 200);

        // The admin opening Carol's chat is audited with its owner; Carol opening her own is not.
        Assert.Equal(200, (int)(await carol.Client.GetAsync($"/api/v1/chats/{chatId}")).StatusCode);
        Assert.Equal(200, (int)(await ada.Client.GetAsync($"/api/v1/chats/{chatId}")).StatusCode);
        var read = await Line("chat.admin.read", ada.Id, chatId);
        Assert.Equal(carol.Id, read["details"]!["owner_id"].Text());
        Assert.DoesNotContain(AuditLines.All(shared.App.DataDir), l => l["action"].Text() == "chat.admin.read" && l["actor"]!["id"].Text() == carol.Id);
        Assert.Equal(200, (int)(await ada.Client.GetAsync($"/api/v1/chats/list/user/{carol.Id}")).StatusCode);
        await AuditLines.WaitForAsync(shared.App.DataDir,
            l => l["action"].Text() == "chat.admin.list" && l["target"]!["id"].Text() == carol.Id, "the admin's list of Carol's chats");

        var group = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/groups/create",
            new { name = $"g-{Guid.NewGuid():N}", description = "audited" }), 200);
        var groupId = group["id"].Text();
        AssertWellFormed(await Line("group.create", ada.Id, groupId), "success", 200);
        Assert.Equal(200, (int)(await ada.Client.PostAsJsonAsync($"/api/v1/groups/id/{groupId}/users/add", new { user_ids = new[] { carol.Id } })).StatusCode);
        var added = await Line("group.members.add", ada.Id, groupId);
        Assert.Equal(carol.Id, added["details"]!["user_ids"]![0].Text());

        // A grant change is audited, and so is a refused one, as a failure.
        var modelId = $"m-{Guid.NewGuid():N}";
        var grants = new[] { new { principal_type = "group", principal_id = groupId, permission = "read" } };
        Assert.Equal(200, (int)(await ada.Client.PostAsJsonAsync("/api/v1/models/model/access/update", new { id = modelId, access_grants = grants })).StatusCode);
        var granted = await Line("model.access.update", ada.Id, modelId);
        AssertWellFormed(granted, "success", 200);
        Assert.Equal(groupId, granted["request"]!["access_grants"]![0]!["principal_id"].Text());
        var notHers = $"m-{Guid.NewGuid():N}";
        var refused = await carol.Client.PostAsJsonAsync("/api/v1/models/model/access/update", new { id = notHers, access_grants = grants });
        Assert.Equal(403, (int)refused.StatusCode);
        AssertWellFormed(await Line("model.access.update", carol.Id, notHers), "failure", 403);
    }

    [Fact]
    public async Task EveryWayAnAdminReadsAnotherUsersChatIsAudited()
    {
        var (app, ada) = (shared.App, shared.Ada);
        var carol = await shared.NewUserAsync("Carol");
        var chatId = await ChatDocs.CreateIdAsync(carol, "Private", 1);
        var file = await ArtifactUploads.UploadAsync(carol, chatId, "notes.txt", "private words");
        // Carol's own reads leave nothing.
        Assert.Equal(200, (int)(await carol.Client.GetAsync($"/api/v1/chats/{chatId}/markdown")).StatusCode);
        Assert.Equal(200, (int)(await carol.Client.GetAsync($"/api/conversations/{chatId}/artifacts")).StatusCode);

        var page = app.BrowserClient(ada.Token);
        page.DefaultRequestHeaders.Add("Sec-Fetch-Dest", "document");
        string[] reads =
        [
            $"/api/v1/chats/{chatId}",
            $"/api/v1/chats/{chatId}/markdown",
            $"/api/v1/chats/{chatId}/tags",
            $"/api/conversations/{chatId}/artifacts",
            $"/api/conversations/{chatId}/artifacts/{file["id"].Text()}",
        ];
        foreach (var path in reads)
        {
            Assert.Equal(200, (int)(await ada.Client.GetAsync(path)).StatusCode);
        }
        Assert.Equal(200, (int)(await page.GetAsync($"/c/{chatId}")).StatusCode);
        // A link the admin signs is a read too, when it is downloaded (by anyone: the link acts for its signer).
        var signed = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/conversations/{chatId}/artifacts/{file["id"].Text()}/signed-url"), 200);
        var link = new Uri(signed["url"].Text()!);
        Assert.Equal(200, (int)(await app.Client().GetAsync(link.PathAndQuery)).StatusCode);
        // So is a message the admin writes into the chat (the answer is the chat).
        var written = $"/api/v1/chats/{chatId}/messages/admin-note";
        Assert.Equal(200, (int)(await ada.Client.PostAsJsonAsync(written, new { content = "seen" })).StatusCode);
        bool AdminRead(JsonObject l, string path) => l["action"].Text() == "chat.admin.read" && l["path"].Text() == path
            && l["actor"]?["id"].Text() == ada.Id && l["target"]?["id"].Text() == chatId;
        foreach (var path in reads.Append($"/c/{chatId}").Append(link.AbsolutePath).Append(written))
        {
            var line = await AuditLines.WaitForAsync(app.DataDir, l => AdminRead(l, path), $"the admin's read of {path}");
            Assert.Equal(carol.Id, line["details"]!["owner_id"].Text());
            Assert.Equal(200, line["status"]!.GetValue<int>());
        }
        // The page reads the chat and its files, in one line; a read that finds nothing is a failure.
        Assert.Single(AuditLines.All(app.DataDir), l => AdminRead(l, $"/c/{chatId}"));
        var missing = $"/api/conversations/{chatId}/artifacts/{Guid.NewGuid()}";
        Assert.Equal(404, (int)(await ada.Client.GetAsync(missing)).StatusCode);
        var refused = await AuditLines.WaitForAsync(app.DataDir, l => AdminRead(l, missing), "the admin's read of a missing file");
        Assert.Equal("failure", refused["outcome"].Text());
        Assert.DoesNotContain(AuditLines.All(app.DataDir), l => l["action"].Text() == "chat.admin.read" && l["actor"]!["id"].Text() == carol.Id);
    }

    [Fact]
    public async Task GrantChangesRevokedSharesAndTheAdminsExportAreAudited()
    {
        var (app, ada) = (shared.App, shared.Ada);
        var carol = await shared.NewUserAsync("Carol");
        var chatId = await ChatDocs.CreateIdAsync(carol, "Shared", 1);
        Assert.Equal(200, (int)(await carol.Client.PostAsync($"/api/v1/chats/{chatId}/share", null)).StatusCode);
        await Grants.ChatAsync(carol, chatId, ("user", ada.Id, "read"));
        var chatGrant = await Line("chat.access.update", carol.Id, chatId);
        AssertWellFormed(chatGrant, "success", 200);
        Assert.Equal(ada.Id, chatGrant["request"]!["access_grants"]![0]!["principal_id"].Text());

        var folder = (await Json.ReadObjectAsync(await carol.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Team" }), 200))["id"].Text();
        await Grants.FolderAsync(carol, folder!, ("user", ada.Id, "write"));
        AssertWellFormed(await Line("folder.access.update", carol.Id, folder), "success", 200);

        Assert.Equal(200, (int)(await carol.Client.DeleteAsync("/api/v1/chats/share/all")).StatusCode);
        AssertWellFormed(await Line("chat.share.delete_all", carol.Id, null), "success", 200);

        // The admin's export of every user's chats is audited without the chats themselves.
        Assert.Equal(200, (int)(await ada.Client.GetAsync("/api/v1/chats/all/db")).StatusCode);
        var export = await Line("chat.admin.export", ada.Id, null);
        AssertWellFormed(export, "success", 200);
        Assert.Null(export["response"]);
        Assert.Equal(401, (int)(await carol.Client.GetAsync("/api/v1/chats/all/db")).StatusCode);
    }

    [Fact]
    public async Task TheAdminApiPagesNewestFirstWithFiltersAndRefusesOthers()
    {
        var (app, ada, eve) = (shared.App, shared.Ada, shared.Eve);
        var dave = await shared.NewUserAsync("Dave");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (int)(await dave.Client.PostAsync("/api/v1/auths/api_key", null)).StatusCode);
        }
        await AuditLines.WaitForAsync(app.DataDir, _ => AuditLines.All(app.DataDir).Count(l => l["action"].Text() == "auth.api_key.create"
            && l["actor"]!["id"].Text() == dave.Id) == 3, "Dave's three keys");

        var query = $"/api/v1/audit/logs?action=auth.api_key.create&user_id={dave.Id}&limit=2";
        var first = await Json.ReadObjectAsync(await ada.Client.GetAsync(query), 200);
        var second = await Json.ReadObjectAsync(await ada.Client.GetAsync(query + "&page=2"), 200);
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Single(second["items"]!.AsArray());
        Assert.False(second["has_more"]!.GetValue<bool>());
        var ids = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(l => l!["id"].Text()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        var times = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(l => l!["time"].Text()).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);

        // A prefix ending in "." takes every action under it; a time range past now takes nothing.
        var auth = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/audit/logs?action=auth.&user_id={dave.Id}&limit=500"), 200);
        Assert.Contains(auth["items"]!.AsArray(), l => l!["action"].Text() == "auth.signin");
        var future = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        var none = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/audit/logs?since={future}"), 200);
        Assert.Empty(none["items"]!.AsArray());

        Assert.Equal(401, (int)(await eve.Client.GetAsync("/api/v1/audit/logs")).StatusCode);
        Assert.Equal(403, (int)(await app.Client().GetAsync("/api/v1/audit/logs")).StatusCode);
    }
}

public sealed class AuditedAppOnSqlite() : SharedApp(DatabaseKind.Sqlite, AuditLogTests.Settings);
public sealed class AuditedAppOnPostgres() : SharedApp(DatabaseKind.Postgres, AuditLogTests.Settings);
public sealed class AuditLogTestsOnSqlite(AuditedAppOnSqlite shared) : AuditLogTests(shared), IClassFixture<AuditedAppOnSqlite>;
public sealed class AuditLogTestsOnPostgres(AuditedAppOnPostgres shared) : AuditLogTests(shared), IClassFixture<AuditedAppOnPostgres>;
