using System.Net.Http.Json;
using Hearth.Server.Chats;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats;

public abstract class FolderTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    public static async Task<string> CreateFolderAsync(TestUser user, string name, string? parentId = null) =>
        (await Json.ReadObjectAsync(await user.Client.PostAsJsonAsync("/api/v1/folders/", new { name, parent_id = parentId }), 200))["id"]!.GetValue<string>();

    [Fact]
    public async Task FoldersFormATreeWithUniqueNamesPerParent()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var work = await CreateFolderAsync(ada, "Work");
        var sub = await CreateFolderAsync(ada, "Projects", work);
        await CreateFolderAsync(ada, "Projects");
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "projects", parent_id = work }), 400, "Folder already exists");
        var listed = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/folders/"), 200))!.AsArray();
        Assert.Equal(3, listed.Count);
        var got = await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/v1/folders/{sub}"), 200);
        Assert.Equal(work, got["parent_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task RenameMoveExpandAndLoopRefusal()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var a = await CreateFolderAsync(ada, "A");
        var b = await CreateFolderAsync(ada, "B", a);
        var renamed = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/folders/{b}/update", new { name = "Bee" }), 200);
        Assert.Equal("Bee", renamed["name"]!.GetValue<string>());
        await Json.AssertDetailAsync(await ada.Client.PostAsJsonAsync($"/api/v1/folders/{a}/update/parent", new { parent_id = b }), 400,
            "A folder cannot be moved inside itself or its own subfolders.");
        var moved = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/folders/{b}/update/parent", new { parent_id = (string?)null }), 200);
        Assert.Null(moved["parent_id"]);
        var expanded = await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync($"/api/v1/folders/{a}/update/expanded", new { is_expanded = true }), 200);
        Assert.True(expanded["is_expanded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CrossingMovesNeverLeaveALoop()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        for (var round = 0; round < 5; round++)
        {
            var a = await CreateFolderAsync(ada, $"A{round}");
            var b = await CreateFolderAsync(ada, $"B{round}");
            // A under B and B under A at once: one may win, the other must be refused.
            var moves = await Task.WhenAll(
                ada.Client.PostAsJsonAsync($"/api/v1/folders/{a}/update/parent", new { parent_id = b }),
                ada.Client.PostAsJsonAsync($"/api/v1/folders/{b}/update/parent", new { parent_id = a }));
            Assert.Equal([200, 400], moves.Select(m => (int)m.StatusCode).Order());
            var parents = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/folders/"), 200))!.AsArray()
                .Where(f => f!["id"]!.GetValue<string>() is var id && (id == a || id == b))
                .Select(f => f!["parent_id"]?.GetValue<string>()).ToList();
            Assert.Single(parents, p => p is null);
        }
    }

    [Fact]
    public async Task AChatFiledIntoAFolderThatIsGoneLandsOutsideAnyFolder()
    {
        var app = shared.App;
        var ada = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        var bobs = await CreateFolderAsync(bob, "Bob's");
        var chat = await ChatDocs.CreateIdAsync(ada, "Filed late");
        // What a write does when the folder it checked is deleted before it lands, or names someone else's:
        // the store is called as a route would after its check passed.
        var store = app.Services.GetRequiredService<ChatStore>();
        foreach (var folder in new[] { "deleted-meanwhile", bobs })
        {
            var saved = await store.UpdateFlagsAsync(chat, ada.Id, row =>
            {
                row.FolderId = folder;
                return true;
            }, default);
            Assert.Null(saved!.FolderId);
            Assert.Null((await ChatDocs.GetAsync(ada, chat))["folder_id"]);
        }
        Assert.Contains(chat, (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/"), 200))!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FilingChatsWhileTheirFolderIsDeletedLeavesNoneInAMissingFolder()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var chats = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            chats.Add(await ChatDocs.CreateIdAsync(ada, $"Chat {i}"));
        }
        for (var round = 0; round < 3; round++)
        {
            var folder = await CreateFolderAsync(ada, $"Doomed {round}");
            var writes = chats.Select(chat => ada.Client.PostAsJsonAsync($"/api/v1/chats/{chat}/folder", new { folder_id = folder }))
                .Append(ada.Client.DeleteAsync($"/api/v1/folders/{folder}")).ToList();
            Assert.All(await Task.WhenAll(writes), r => Assert.True((int)r.StatusCode < 500));
        }
        var listed = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/"), 200))!.AsArray().Select(c => c!["id"]!.GetValue<string>());
        Assert.Equal(chats.Order(), listed.Order());
    }

    [Fact]
    public async Task DeletingAFolderMovesOrDeletesItsChats()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var keep = await CreateFolderAsync(ada, "Keep");
        var drop = await CreateFolderAsync(ada, "Drop");
        var kept = await ChatDocs.CreateIdAsync(ada, "Kept", folderId: keep);
        var dropped = await ChatDocs.CreateIdAsync(ada, "Dropped", folderId: drop);
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/folders/{keep}"), 200))!.GetValue<bool>());
        Assert.Null((await ChatDocs.GetAsync(ada, kept))["folder_id"]);
        Assert.True((await Json.ReadAsync(await ada.Client.DeleteAsync($"/api/v1/folders/{drop}?delete_contents=true"), 200))!.GetValue<bool>());
        Assert.Equal(401, (int)(await ada.Client.GetAsync($"/api/v1/chats/{dropped}")).StatusCode);
    }

    [Fact]
    public async Task DeletingContentsNeedsChatDeleteOnlyWhenThereAreChatsToDelete()
    {
        // Changes the default permissions of every user: its own server.
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        await ada.Client.PostAsJsonAsync("/api/v1/users/default/permissions", new { chat = new { delete = false } }).SucceedsAsync();
        var empty = await CreateFolderAsync(bob, "Empty");
        await CreateFolderAsync(bob, "Inner", empty);
        Assert.True((await Json.ReadAsync(await bob.Client.DeleteAsync($"/api/v1/folders/{empty}?delete_contents=true"), 200))!.GetValue<bool>());
        var full = await CreateFolderAsync(bob, "Full");
        var inner = await CreateFolderAsync(bob, "Inner", full);
        var chat = await ChatDocs.CreateIdAsync(bob, "In a subfolder", folderId: inner);
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync($"/api/v1/folders/{full}?delete_contents=true"), 403,
            "You do not have permission to access this resource. Please contact your administrator for assistance.");
        Assert.Equal(inner, (await ChatDocs.GetAsync(bob, chat))["folder_id"]!.GetValue<string>());
        // Moving the chats out deletes nothing, so it needs no permission.
        Assert.True((await Json.ReadAsync(await bob.Client.DeleteAsync($"/api/v1/folders/{full}"), 200))!.GetValue<bool>());
        Assert.Null((await ChatDocs.GetAsync(bob, chat))["folder_id"]);
    }

    [Fact]
    public async Task AdminsReadAndDeleteOtherUsersFoldersAndTagsUnderAdminChatAccess()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        var folder = await CreateFolderAsync(bob, "Bob's");
        var chat = await ChatDocs.CreateIdAsync(bob, "Tagged", folderId: folder);
        await bob.Client.PostAsJsonAsync($"/api/v1/chats/{chat}/tags", new { name = "Work" }).SucceedsAsync();
        Assert.Equal("Bob's", (await Json.ReadObjectAsync(await admin.Client.GetAsync($"/api/v1/folders/{folder}"), 200))["name"]!.GetValue<string>());
        Assert.Equal(["work"], (await Json.ReadAsync(await admin.Client.GetAsync($"/api/v1/chats/{chat}/tags"), 200))!.AsArray()
            .Select(t => t!["id"]!.GetValue<string>()));
        Assert.True((await Json.ReadAsync(await admin.Client.DeleteAsync($"/api/v1/folders/{folder}?delete_contents=true"), 200))!.GetValue<bool>());
        Assert.Equal(401, (int)(await bob.Client.GetAsync($"/api/v1/chats/{chat}")).StatusCode);
        Assert.Empty((await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/folders/"), 200))!.AsArray());

        await using var closed = await StartAsync(new Dictionary<string, string?> { ["ENABLE_ADMIN_CHAT_ACCESS"] = "false" });
        var admin2 = await closed.SignUpAsync("Ada");
        var carl = await closed.AddUserAsync(admin2, "Carl");
        var hidden = await CreateFolderAsync(carl, "Carl's");
        var carlChat = await ChatDocs.CreateIdAsync(carl, "Private");
        Assert.Equal(404, (int)(await admin2.Client.GetAsync($"/api/v1/folders/{hidden}")).StatusCode);
        Assert.Equal(404, (int)(await admin2.Client.DeleteAsync($"/api/v1/folders/{hidden}")).StatusCode);
        Assert.Equal(401, (int)(await admin2.Client.GetAsync($"/api/v1/chats/{carlChat}/tags")).StatusCode);
    }

    [Fact]
    public async Task FolderRoutesAnswer403WhileFoldersAreSwitchedOffOrNotPermitted()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(admin, "Bob");
        var folder = await CreateFolderAsync(bob, "Mine");
        const string prohibited = "You do not have permission to access this resource. Please contact your administrator for assistance.";
        await admin.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"features": {"folders": false}}""")).SucceedsAsync();
        await Json.AssertDetailAsync(await bob.Client.GetAsync("/api/v1/folders/"), 403, prohibited);
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "New" }), 403, prohibited);
        await Json.AssertDetailAsync(await bob.Client.GetAsync($"/api/v1/folders/{folder}"), 403, prohibited);
        await Json.AssertDetailAsync(await bob.Client.DeleteAsync($"/api/v1/folders/{folder}"), 403, prohibited);
        await Json.AssertDetailAsync(await bob.Client.PostAsync($"/api/v1/folders/{folder}/read", null), 403, prohibited);
        Assert.Equal(200, (int)(await admin.Client.GetAsync("/api/v1/folders/")).StatusCode);

        await admin.Client.PostAsync("/api/v1/users/default/permissions", Json.Raw("""{"features": {"folders": true}}""")).SucceedsAsync();
        Assert.Equal(200, (int)(await bob.Client.GetAsync("/api/v1/folders/")).StatusCode);
        var config = await Json.ReadObjectAsync(await admin.Client.PostAsync("/api/v1/auths/admin/config", Json.Raw("""{"ENABLE_FOLDERS": false}""")), 200);
        Assert.False(config["ENABLE_FOLDERS"]!.GetValue<bool>());
        await Json.AssertDetailAsync(await admin.Client.GetAsync("/api/v1/folders/"), 403, prohibited);
        await Json.AssertDetailAsync(await bob.Client.PostAsJsonAsync($"/api/v1/folders/{folder}/update", new { name = "Renamed" }), 403, prohibited);

        await using var off = await StartAsync(new Dictionary<string, string?> { ["ENABLE_FOLDERS"] = "false" });
        var carl = await off.SignUpAsync("Carl");
        await Json.AssertDetailAsync(await carl.Client.GetAsync("/api/v1/folders/"), 403, prohibited);
    }

    [Fact]
    public async Task OtherUsersFoldersAreInvisible()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var bob = await shared.NewUserAsync("Bob");
        var folder = await CreateFolderAsync(ada, "Private");
        Assert.Equal(404, (int)(await bob.Client.GetAsync($"/api/v1/folders/{folder}")).StatusCode);
        Assert.Equal(404, (int)(await bob.Client.DeleteAsync($"/api/v1/folders/{folder}")).StatusCode);
        Assert.Equal(404, (int)(await bob.Client.PostAsJsonAsync($"/api/v1/folders/{folder}/update", new { name = "Mine" })).StatusCode);
        Assert.Equal(404, (int)(await bob.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Sub", parent_id = folder })).StatusCode);
        Assert.Empty((await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/folders/"), 200))!.AsArray());
    }
}

public sealed class FolderTestsOnSqlite(SharedApp.OnSqlite shared)
    : FolderTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class FolderTestsOnPostgres(SharedApp.OnPostgres shared)
    : FolderTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
