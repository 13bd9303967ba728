using System.Net.Http.Json;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Groups;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;
using static Hearth.Tests.Retention.RetentionChats;

namespace Hearth.Tests.Retention;

/// <summary>
/// Retention rules on a shared server: each test sets the whole config it needs (rules for its own users; the
/// server's rule back to 0 when it changed it) and asserts only on its users' chats.
/// </summary>
public abstract class RetentionTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private TestUser Ada => shared.Ada;

    [Fact]
    public async Task OldChatsAreDeletedWithTheirFilesAndSharesWhilePinnedKeptAndRecentOnesStay()
    {
        var bob = await shared.NewUserAsync("Bob");
        var old = await OldChatAsync(bob, "Old", daysAgo: 40);
        await UploadAsync(bob, old, "notes.txt");
        var share = (await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/chats/{old}/share", null), 200))["id"]!.GetValue<string>();
        var pinned = await OldChatAsync(bob, "Pinned", daysAgo: 40, pinned: true);
        var kept = await OldChatAsync(bob, "Kept", daysAgo: 40);
        var keptNow = await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/chats/{kept}/keep", null), 200);
        Assert.True(keptNow["meta"]!["keep"]!.GetValue<bool>());
        await BackdateAsync(kept, daysAgo: 40);
        var recent = await OldChatAsync(bob, "Recent", daysAgo: 5);
        Assert.NotEmpty(FilesOnDisk(shared.App, old));

        await ConfigureAsync(Ada, new { users = new Dictionary<string, object> { [bob.Id] = new { days = 30, action = "delete" } } });
        var outcome = await RunAsync(Ada);

        Assert.True(outcome["deleted"]!.GetValue<int>() >= 1);
        Assert.Null(await FindAsync(bob, old));
        Assert.Empty(FilesOnDisk(shared.App, old));
        Assert.False((await shared.App.Client().GetAsync($"/api/v1/chats/share/{share}")).IsSuccessStatusCode);
        Assert.NotNull(await FindAsync(bob, pinned));
        Assert.NotNull(await FindAsync(bob, kept));
        Assert.NotNull(await FindAsync(bob, recent));
    }

    [Fact]
    public async Task ArchivingLeavesTheChatReadableInTheArchiveWithItsTime()
    {
        var bob = await shared.NewUserAsync("Bob");
        var old = await OldChatAsync(bob, "Old", daysAgo: 40);
        var before = (await FindAsync(bob, old))!["updated_at"]!.GetValue<long>();
        var recent = await OldChatAsync(bob, "Recent", daysAgo: 5);

        await ConfigureAsync(Ada, new { users = new Dictionary<string, object> { [bob.Id] = new { days = 30, action = "archive" } } });
        await RunAsync(Ada);

        var archived = (await FindAsync(bob, old))!;
        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.Equal(before, archived["updated_at"]!.GetValue<long>());
        Assert.False((await FindAsync(bob, recent))!["archived"]!.GetValue<bool>());
        var preview = await Json.ReadObjectAsync(await Ada.Client.GetAsync("/api/v1/retention/preview?limit=10000"), 200);
        Assert.DoesNotContain(preview["chats"]!.AsArray(), c => c!["user_id"]!.GetValue<string>() == bob.Id);
    }

    [Fact]
    public async Task AUsersRuleWinsOverTheirGroupsWhichWinsOverTheServers()
    {
        var own = await shared.NewUserAsync("Own");
        var member = await shared.NewUserAsync("Member");
        var plain = await shared.NewUserAsync("Plain");
        var group = await GroupTests.CreateGroupAsync(Ada, $"Short-{Guid.NewGuid():N}", null, own, member);
        var chats = new Dictionary<(TestUser, int), string>();
        foreach (var user in new[] { own, member, plain })
        {
            foreach (var days in new[] { 20, 40 })
            {
                chats[(user, days)] = await OldChatAsync(user, $"{days} days", days);
            }
        }
        await ConfigureAsync(Ada, new
        {
            days = 30,
            action = "delete",
            groups = new Dictionary<string, object> { [group] = new { days = 10 } },
            users = new Dictionary<string, object> { [own.Id] = new { days = 0 } },
        });
        try
        {
            await RunAsync(Ada);
        }
        finally
        {
            await ConfigureAsync(Ada, new { days = 0, groups = new { }, users = new { } });
        }

        Assert.NotNull(await FindAsync(own, chats[(own, 20)]));
        Assert.NotNull(await FindAsync(own, chats[(own, 40)]));
        Assert.Null(await FindAsync(member, chats[(member, 20)]));
        Assert.Null(await FindAsync(member, chats[(member, 40)]));
        Assert.NotNull(await FindAsync(plain, chats[(plain, 20)]));
        Assert.Null(await FindAsync(plain, chats[(plain, 40)]));
    }

    [Fact]
    public async Task TheDryRunListsWhatWouldGoAndWritesNothing()
    {
        var bob = await shared.NewUserAsync("Bob");
        var old = await OldChatAsync(bob, "Old", daysAgo: 40);
        var recent = await OldChatAsync(bob, "Recent", daysAgo: 5);
        await ConfigureAsync(Ada, new { users = new Dictionary<string, object> { [bob.Id] = new { days = 30, action = "delete" } } });

        var preview = await Json.ReadObjectAsync(await Ada.Client.GetAsync("/api/v1/retention/preview?limit=10000"), 200);

        var bobs = preview["chats"]!.AsArray().Where(c => c!["user_id"]!.GetValue<string>() == bob.Id).ToList();
        var listed = Assert.Single(bobs)!;
        Assert.Equal(old, listed["id"]!.GetValue<string>());
        Assert.Equal("Old", listed["title"]!.GetValue<string>());
        Assert.Equal("delete", listed["action"]!.GetValue<string>());
        Assert.True(preview["total"]!.GetValue<long>() >= 1);
        Assert.NotNull(await FindAsync(bob, old));
        Assert.NotNull(await FindAsync(bob, recent));
        await ConfigureAsync(Ada, new { users = new { } });
    }

    [Fact]
    public async Task KeepIsAToggleInTheChatsMeta()
    {
        var bob = await shared.NewUserAsync("Bob");
        var id = await OldChatAsync(bob, "Mine", daysAgo: 1);
        Assert.False((await Json.ReadAsync(await bob.Client.GetAsync($"/api/v1/chats/{id}/keep"), 200))!.GetValue<bool>());
        await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/chats/{id}/keep", null), 200);
        Assert.True((await Json.ReadAsync(await bob.Client.GetAsync($"/api/v1/chats/{id}/keep"), 200))!.GetValue<bool>());
        var off = await Json.ReadObjectAsync(await bob.Client.PostAsync($"/api/v1/chats/{id}/keep", null), 200);
        Assert.Null(off["meta"]!["keep"]);
        var eve = shared.Eve;
        Assert.False((await eve.Client.PostAsync($"/api/v1/chats/{id}/keep", null)).IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("""{"days": -1}""")]
    [InlineData("""{"days": 36501}""")]
    [InlineData("""{"action": "shred"}""")]
    [InlineData("""{"users": {"someone": {"action": "delete"}}}""")]
    [InlineData("""{"groups": {"g": {"days": 3, "action": "burn"}}}""")]
    public async Task ABadRuleIsRefusedAndChangesNothing(string body)
    {
        var before = await Json.ReadObjectAsync(await Ada.Client.GetAsync("/api/v1/retention/config"), 200);
        await Json.AssertValidationErrorAsync(await Ada.Client.PostAsync("/api/v1/retention/config", Json.Raw(body)));
        var after = await Json.ReadObjectAsync(await Ada.Client.GetAsync("/api/v1/retention/config"), 200);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task OnlyAdminsReachTheRetentionRoutes()
    {
        var bob = await shared.NewUserAsync("Bob");
        Assert.Equal(401, (int)(await bob.Client.GetAsync("/api/v1/retention/config")).StatusCode);
        Assert.Equal(401, (int)(await bob.Client.PostAsJsonAsync("/api/v1/retention/config", new { days = 1 })).StatusCode);
        Assert.Equal(401, (int)(await bob.Client.GetAsync("/api/v1/retention/preview")).StatusCode);
        Assert.Equal(401, (int)(await bob.Client.PostAsync("/api/v1/retention/run", null)).StatusCode);
        Assert.Equal(0, (await Json.ReadObjectAsync(await Ada.Client.GetAsync("/api/v1/retention/config"), 200))["days"]!.GetValue<int>());
    }

    /// <summary>Sets a chat's time back as if untouched for <paramref name="daysAgo"/> days (the keep toggle just touched it).</summary>
    private async Task BackdateAsync(string id, int daysAgo)
    {
        await using var connection = await shared.App.Services.GetRequiredService<Database>().OpenAsync(default);
        await connection.ExecuteAsync("UPDATE chats SET updated_at = @at WHERE id = @id",
            new { id, at = DateTimeOffset.UtcNow.AddDays(-daysAgo).ToUnixTimeSeconds() });
    }
}

public sealed class RetentionTestsOnSqlite(SharedApp.OnSqlite shared)
    : RetentionTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class RetentionTestsOnPostgres(SharedApp.OnPostgres shared)
    : RetentionTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
