using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Backups;
using Hearth.Tests.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Groups;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.KeyValue;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Backups;

/// <summary>What a backup test keeps of the source: two users, their chats, artifacts and files, an API key and a group.</summary>
internal sealed record SampleData(TestUser Ada, TestUser Bob, IReadOnlyList<string> ChatIds, string ApiKey, string GroupId);

/// <summary>Data of every kind Hearth keeps, and what its API shows of it, to compare a restored Hearth with the one backed up.</summary>
internal static class BackupSamples
{
    public static async Task<SampleData> SeedAsync(HearthApp app)
    {
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var folder = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Work" }), 200);
        var first = await ChatDocs.CreateIdAsync(ada, "Unmistakable first chat", pairs: 3);
        var filed = await ChatDocs.CreateIdAsync(ada, "Filed chat ü", folderId: folder["id"]!.GetValue<string>());
        var web = (await ChatDocs.CreateAsync(ada, ChatDocs.WebClientConversation("Web client chat", pairs: 2)))["id"]!.GetValue<string>();
        var bobs = await ChatDocs.CreateIdAsync(bob, "Bob's chat");
        await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{first}/pin", null), 200);
        await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/v1/chats/{web}/archive", null), 200);
        await Json.ReadAsync(await ada.Client.PostAsJsonAsync($"/api/v1/chats/{filed}/tags", new { name = "keep" }), 200);
        await Json.ReadAsync(await ada.Client.StoreAsync("notes", "personal", """{"list": [1, 2.5, "ü", null, true], "nested": {"a": {}}}"""), 200);
        await Json.ReadAsync(await bob.Client.StoreAsync("board", "shared", "42"), 200);
        await ArtifactUploads.UploadAsync(ada, first, "pixel.png", ArtifactUploads.Png, "image/png");
        await ArtifactUploads.UploadAsync(ada, first, "notes.txt", "plain words");
        await ArtifactUploads.UploadAsync(bob, bobs, "page.html", "<p>hi</p>", "text/html");
        var key = await Json.ReadObjectAsync(await ada.Client.PostAsync("/api/v1/auths/api_key", null), 200);
        // A group with permissions and a member, and workspace models shared with it, with Bob and with everyone.
        var group = await GroupTests.CreateGroupAsync(ada, "Readers", new { chat = new { controls = false }, features = new { web_search = true } }, bob);
        await CreateModelAsync(ada, "house-model", new { principal_type = "group", principal_id = group, permission = "read" },
            new { principal_type = "user", principal_id = bob.Id, permission = "write" });
        await CreateModelAsync(ada, "open-model", new { principal_type = "user", principal_id = "*", permission = "read" });
        await CreateModelAsync(ada, "private-model");
        return new SampleData(ada, bob, [first, filed, web, bobs], key["api_key"]!.GetValue<string>(), group);
    }

    private static async Task CreateModelAsync(TestUser owner, string id, params object[] grants) =>
        await Json.ReadObjectAsync(await owner.Client.PostAsJsonAsync("/api/v1/models/create", new
        {
            id, name = $"Model {id}", base_model_id = "gpt-4o", meta = new { description = "ü" }, @params = new { temperature = 0.2 },
            access_grants = grants,
        }), 200);

    /// <summary>Groups, their members and permissions, the models with their grants, and what Bob may see through them.</summary>
    private static async Task AddGroupsAndModelsAsync(JsonObject view, HttpClient ada, HttpClient bob, SampleData data)
    {
        view["groups"] = await Json.ReadAsync(await ada.GetAsync("/api/v1/groups/"), 200);
        view["group"] = await Json.ReadAsync(await ada.GetAsync($"/api/v1/groups/id/{data.GroupId}"), 200);
        view["group_members"] = await Json.ReadAsync(await ada.PostAsJsonAsync($"/api/v1/groups/id/{data.GroupId}/users", new { }), 200);
        view["bob_groups"] = await Json.ReadAsync(await bob.GetAsync("/api/v1/groups/"), 200);
        view["models"] = await Json.ReadAsync(await ada.GetAsync("/api/v1/models/"), 200);
        view["bob_models"] = await Json.ReadAsync(await bob.GetAsync("/api/v1/models/"), 200);
        foreach (var id in new[] { "house-model", "open-model", "private-model" })
        {
            view[$"model {id}"] = await Json.ReadAsync(await ada.GetAsync($"/api/v1/models/model?id={id}"), 200);
        }
    }

    /// <summary>What the API answers about everything seeded, as the users themselves (their tokens) see it.</summary>
    public static async Task<JsonObject> ViewAsync(HearthApp app, SampleData data)
    {
        var ada = app.Client(data.Ada.Token);
        var bob = app.Client(data.Bob.Token);
        var view = new JsonObject
        {
            ["users"] = await Json.ReadAsync(await ada.GetAsync("/api/v1/users/"), 200),
            ["ada_chats"] = await Json.ReadAsync(await ada.GetAsync("/api/v1/chats/"), 200),
            ["ada_pinned"] = await Json.ReadAsync(await ada.GetAsync("/api/v1/chats/pinned"), 200),
            ["ada_folders"] = await Json.ReadAsync(await ada.GetAsync("/api/v1/folders/"), 200),
            ["notes"] = await Json.ReadAsync(await ada.GetArtifactAsync("notes", "personal"), 200),
            ["board"] = await Json.ReadAsync(await bob.GetArtifactAsync("board", "shared"), 200),
        };
        await AddGroupsAndModelsAsync(view, ada, bob, data);
        foreach (var id in data.ChatIds)
        {
            var owner = id == data.ChatIds[^1] ? bob : ada;
            view[$"chat {id}"] = await Json.ReadAsync(await owner.GetAsync($"/api/v1/chats/{id}"), 200);
            var files = (await Json.ReadAsync(await owner.GetAsync($"/api/conversations/{id}/artifacts"), 200))!.AsArray();
            view[$"files {id}"] = files.DeepClone();
            foreach (var file in files)
            {
                var bytes = await owner.GetByteArrayAsync($"/api/conversations/{id}/artifacts/{file!["id"]!.GetValue<string>()}");
                view[$"bytes {file["id"]}"] = Convert.ToBase64String(bytes);
            }
        }
        return view;
    }

    /// <summary>The API key still opens Hearth, and Bob still signs in with his password.</summary>
    public static async Task AssertCredentialsWorkAsync(HearthApp app, SampleData data)
    {
        var keyed = app.Client();
        keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", data.ApiKey);
        Assert.Equal(200, (int)(await keyed.GetAsync("/api/v1/chats/")).StatusCode);
        await app.SignInAsync(data.Bob.Email, data.Bob.Password);
    }

    public static async Task<string> BackUpAsync(HearthApp app, string folder)
    {
        var path = Path.Combine(folder, $"backup-{Guid.NewGuid():N}.tar");
        await using var stream = File.Create(path);
        var outcome = await app.Services.GetRequiredService<BackupMaker>().WriteAsync(stream, null, CancellationToken.None);
        Assert.Empty(outcome.Problems);
        return path;
    }

    public static Task<RestoreOutcome> RestoreAsync(HearthApp app, string path, bool force = false) =>
        app.Services.GetRequiredService<BackupRestorer>().RestoreAsync(path, force, null, CancellationToken.None);
}
