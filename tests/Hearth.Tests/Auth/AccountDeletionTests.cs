using System.Net.Http.Json;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
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
