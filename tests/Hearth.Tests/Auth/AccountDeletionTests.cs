using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.KeyValue;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.Auth;

public abstract class AccountDeletionTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string InvalidPassword = "The password provided is incorrect. Please check for typos and try again.";

    private static Task<HttpResponseMessage> DeleteOwnAsync(TestUser user, string password) =>
        user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/user") { Content = JsonContent.Create(new { password }) });

    [Fact]
    public async Task AUserDeletesTheirAccountAndDataWithTheirPassword()
    {
        var bob = await shared.NewUserAsync("Bob");
        var chatId = await ChatDocs.CreateIdAsync(bob, "Mine", 1);
        await UploadAsync(bob, chatId, "notes.txt");
        Assert.NotEmpty(FilesOnDisk(shared.App, chatId));
        var exported = await bob.Client.GetAsync("/api/v1/chats/all");
        Assert.Equal(200, (int)exported.StatusCode);
        Assert.Contains(chatId, await exported.Content.ReadAsStringAsync());

        await Json.AssertDetailAsync(await DeleteOwnAsync(bob, "wrong horse"), 400, InvalidPassword);
        Assert.Equal(200, (int)(await bob.Client.GetAsync($"/api/v1/chats/{chatId}")).StatusCode);

        Assert.True((await Json.ReadAsync(await DeleteOwnAsync(bob, bob.Password), 200))!.GetValue<bool>());
        Assert.Equal(401, (int)(await bob.Client.GetAsync("/api/v1/auths/")).StatusCode);
        Assert.Empty(FilesOnDisk(shared.App, chatId));
        Assert.Equal(400, (int)(await shared.App.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = bob.Email, password = bob.Password })).StatusCode);
        Assert.Equal(400, (int)(await shared.Ada.Client.GetAsync($"/api/v1/users/{bob.Id}")).StatusCode);
    }

    [Fact]
    public async Task TheExportHoldsEverythingOfTheUserAndNothingOfAnyoneElse()
    {
        var cleo = await shared.NewUserAsync("Cleo");
        var other = await shared.NewUserAsync("Other");
        var folder = (await Json.ReadObjectAsync(await cleo.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Travel" }), 200))["id"]!.GetValue<string>();
        var kept = await ChatDocs.CreateIdAsync(cleo, "Lisbon plans", 2, folderId: folder);
        var archived = await ChatDocs.CreateIdAsync(cleo, "Old notes", 1);
        Assert.Equal(200, (int)(await cleo.Client.PostAsync($"/api/v1/chats/{archived}/archive", null)).StatusCode);
        var chart = new byte[] { 0x89, 0x50, 0x4e, 0x47, 1, 2, 3 };
        await UploadAsync(cleo, kept, "../chart.png", chart, "image/png");
        await Json.ReadAsync(await cleo.Client.StoreAsync("trips", "personal", """{"count": 3}"""), 200);
        await Json.ReadAsync(await cleo.Client.PostAsJsonAsync("/api/v1/users/user/settings/update", new { ui = new { theme = "dark" } }), 200);
        var othersChat = await ChatDocs.CreateIdAsync(other, "Not Cleo's", 1);
        await UploadAsync(other, othersChat, "theirs.txt", "not hers");
        await Json.ReadAsync(await other.Client.StoreAsync("theirs", "personal", "1"), 200);

        var response = await cleo.Client.GetAsync("/api/v1/users/user/export");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("hearth-export-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        JsonNode Entry(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return JsonNode.Parse(reader.ReadToEnd())!;
        }

        var chats = Entry("chats.json").AsArray();
        Assert.Equal(new[] { archived, kept }.Order(), chats.Select(c => c!["id"]!.GetValue<string>()).Order());
        Assert.Equal(folder, chats.Single(c => c!["id"]!.GetValue<string>() == kept)!["folder_id"]!.GetValue<string>());
        Assert.Equal("Travel", Entry("folders.json").AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Equal("dark", Entry("settings.json")["ui"]!["theme"]!.GetValue<string>());
        var stored = Entry("storage.json").AsArray().Single()!;
        Assert.Equal("trips", stored["key"]!.GetValue<string>());
        Assert.Equal(3, stored["value"]!["count"]!.GetValue<int>());
        var listed = Entry("files.json").AsArray().Single()!;
        var path = listed["url"]!.GetValue<string>();
        Assert.StartsWith($"files/{kept}/", path);
        await using (var file = zip.GetEntry(path)!.Open())
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            Assert.Equal(chart, copy.ToArray());
        }
        Assert.Equal(["account.json", "chats.json", "folders.json", "settings.json", "storage.json", path, "files.json"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(cleo.Email, Entry("account.json")["email"]!.GetValue<string>());
        Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains(othersChat, StringComparison.Ordinal));

        Assert.Equal(403, (int)(await shared.App.Client().GetAsync("/api/v1/users/user/export")).StatusCode);
    }

    [Fact]
    public async Task TheGrantsOfADeletedUserAndOfTheirChatsAndFoldersGoWithThem()
    {
        var (dan, eva, fay) = (await shared.NewUserAsync("Dan"), await shared.NewUserAsync("Eva"), await shared.NewUserAsync("Fay"));
        var dansChat = await ChatDocs.CreateIdAsync(dan, "Dan's", 1);
        var dansFolder = (await Json.ReadObjectAsync(await dan.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Dan's folder" }), 200))["id"]!.GetValue<string>();
        var evasChat = await ChatDocs.CreateIdAsync(eva, "Eva's", 1);
        var evasOther = await ChatDocs.CreateIdAsync(eva, "Eva's other", 1);
        await Grants.ChatAsync(dan, dansChat, ("user", eva.Id, "read"));
        await Grants.FolderAsync(dan, dansFolder, ("user", eva.Id, "read"));
        await Grants.ChatAsync(eva, evasChat, ("user", dan.Id, "read"));
        await Grants.ChatAsync(eva, evasOther, ("user", fay.Id, "read"), ("user", dan.Id, "write"));
        string[] resources = [dansChat, dansFolder, evasChat, evasOther];
        async Task<List<string>> GrantsAsync()
        {
            await using var connection = await shared.App.Services.GetRequiredService<Hearth.Server.Storage.Database>().OpenAsync(default);
            var rows = await connection.QueryAsync<(string Resource, string Principal)>("SELECT resource_id, principal_id FROM access_grants");
            return rows.Where(r => resources.Contains(r.Resource) || r.Principal == dan.Id).Select(r => $"{r.Resource} {r.Principal}").Order().ToList();
        }
        Assert.Equal(5, (await GrantsAsync()).Count);

        Assert.Equal(200, (int)(await DeleteOwnAsync(dan, dan.Password)).StatusCode);
        // Only Eva's grant to Fay is left.
        Assert.Equal([$"{evasOther} {fay.Id}"], await GrantsAsync());
    }

    // Another Hearth process deleted the account: this one still knows the session for CredentialCache.Lifetime (the
    // clock stands still here, so it does throughout), and the writes pass authentication and meet the account's
    // absence at their foreign keys.
    [Fact]
    public async Task WritesOfAnAccountDeletedByAnotherProcessAnswer401AndWriteNothing()
    {
        await using var app = await StartAsync(clock: new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        var ada = await app.SignUpAsync("Ada");
        var gus = await app.AddUserAsync(ada, "Gus");
        Assert.Equal(200, (int)(await gus.Client.GetAsync("/api/v1/auths/")).StatusCode);
        await using var connection = await app.Services.GetRequiredService<Hearth.Server.Storage.Database>().OpenAsync(default);
        await connection.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id = gus.Id });

        const string signInAgain = "Your session has expired or the token is invalid. Please sign in again.";
        await Json.AssertDetailAsync(await gus.Client.PostAsJsonAsync("/api/v1/chats/new", new { chat = ChatDocs.WebClientConversation("Late", 1) }), 401, signInAgain);
        await Json.AssertDetailAsync(await gus.Client.PostAsJsonAsync("/api/v1/folders/", new { name = "Late" }), 401, signInAgain);
        await Json.AssertDetailAsync(await gus.Client.PostAsJsonAsync("/api/artifacts/store", new { key = "k", scope = "personal", value = 1 }), 401, signInAgain);
        foreach (var table in new[] { "chats", "folders", "artifacts" })
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE user_id = @id", new { id = gus.Id }));
        }
    }

    // A sign-in that read the account just before an admin deleted it: no session, and the sign-in answers as for no account.
    [Fact]
    public async Task ASessionForAnAccountDeletedSinceItWasReadIsNotMade()
    {
        var ivy = await shared.NewUserAsync("Ivy");
        await using var connection = await shared.App.Services.GetRequiredService<Hearth.Server.Storage.Database>().OpenAsync(default);
        await connection.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id = ivy.Id });
        var sessionId = Guid.NewGuid().ToString();
        Assert.False(await shared.App.Services.GetRequiredService<Hearth.Server.Auth.CredentialStore>().CreateSessionAsync(ivy.Id, sessionId, null, default));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM auth_sessions WHERE id = @sessionId", new { sessionId }));
    }

    // A file whose chat was deleted between the upload's checks and its row: not kept, and nothing of it stays on disk.
    [Fact]
    public async Task AFileWhoseChatWentBeforeItsRowIsNotKeptAndLeavesNoBytes()
    {
        var hal = await shared.NewUserAsync("Hal");
        var chatId = await ChatDocs.CreateIdAsync(hal, "Going", 1);
        var chat = await shared.App.Services.GetRequiredService<Hearth.Server.Chats.ChatStore>().GetAsync(chatId, default);
        Assert.Equal(200, (int)(await hal.Client.DeleteAsync($"/api/v1/chats/{chatId}")).StatusCode);

        var keeper = shared.App.Services.GetRequiredService<Hearth.Server.ArtifactFiles.ArtifactFileKeeper>();
        var stored = await keeper.StoreAsync(chat!, null, "late.txt", "text/plain", new MemoryStream("late"u8.ToArray()), default);
        Assert.True(stored.ChatGone);
        Assert.Null(stored.Row);
        Assert.False(Directory.Exists(ConversationFolder(shared.App, chatId)));
    }

    [Fact]
    public async Task TheLastAdminCannotDeleteTheirAccount()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await Json.AssertDetailAsync(await DeleteOwnAsync(ada, ada.Password), 403,
            "You are the only admin: make another user an admin before deleting your account.");
        Assert.Equal(200, (int)(await ada.Client.GetAsync("/api/v1/auths/")).StatusCode);

        var grace = await app.AddUserAsync(ada, "Grace", "admin");
        Assert.Equal(200, (int)(await DeleteOwnAsync(ada, ada.Password)).StatusCode);
        await Json.AssertDetailAsync(await DeleteOwnAsync(grace, grace.Password), 403,
            "You are the only admin: make another user an admin before deleting your account.");
    }
}

public sealed class AccountDeletionTestsOnSqlite(SharedApp.OnSqlite shared)
    : AccountDeletionTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class AccountDeletionTestsOnPostgres(SharedApp.OnPostgres shared)
    : AccountDeletionTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
