using System.Text.Json.Nodes;
using Hearth.Server.Retention;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.Tests.Retention.RetentionChats;

namespace Hearth.Tests.Retention;

/// <summary>Retention passes on servers of their own: the environment's rule, the background round, one pass at a time.</summary>
public abstract class RetentionPassTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string Running = "A retention pass is already running (in this or another Hearth process); try again when it ends.";

    [Fact]
    public async Task TheEnvironmentsRuleRunsInTheBackground()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["CHAT_RETENTION_DAYS"] = "30",
            ["CHAT_RETENTION_ACTION"] = "delete",
            ["CHAT_RETENTION_INTERVAL"] = "1",
            ["AUDIT_LOG_LEVEL"] = "METADATA",
        });
        var ada = await app.SignUpAsync("Ada");
        var config = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/retention/config"), 200);
        Assert.Equal(30, config["days"]!.GetValue<int>());
        Assert.Equal("delete", config["action"]!.GetValue<string>());
        var recent = await OldChatAsync(ada, "Recent", daysAgo: 29);
        var old = await OldChatAsync(ada, "Old", daysAgo: 31);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await FindAsync(ada, old) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the background pass did not delete the old chat within 30 s");
            await Task.Delay(100);
        }
        Assert.NotNull(await FindAsync(ada, recent));

        // The deletion is in the audit log, made by the system and naming the chat (lines are written off the pass's path).
        JsonNode? line = null;
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (line is null)
        {
            var page = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/audit/logs?action=chat.retention.delete"), 200);
            line = page["items"]!.AsArray().FirstOrDefault();
            Assert.True(line is not null || DateTime.UtcNow < deadline, "no audit line for the retention deletion within 30 s");
            await Task.Delay(line is null ? 100 : 0);
        }
        Assert.Equal("system", line["actor"]!["role"]!.GetValue<string>());
        Assert.Equal(ada.Id, line["target"]!["id"]!.GetValue<string>());
        Assert.Contains(old, line["details"]!["chat_ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(30, line["details"]!["days"]!.GetValue<int>());
    }

    [Fact]
    public async Task APassIsRefusedWhileAnotherHearthOnTheDatabaseRunsOne()
    {
        var secret = new Dictionary<string, string?> { ["WEBUI_SECRET_KEY"] = "retention-two-processes" };
        await using var first = await StartAsync(secret);
        // On SQLite the database belongs to one process: the second "process" is the same server.
        await using var second = Kind == DatabaseKind.Postgres
            ? await HearthApp.StartAsync(Kind, secret, databaseUrl: first.DatabaseUrl)
            : null;
        var ada = await first.SignUpAsync("Ada");
        var adaThere = second is null ? ada : await second.SignInAsync(ada.Email, ada.Password);
        var old = await OldChatAsync(ada, "Old", daysAgo: 40);
        await ConfigureAsync(ada, new { days = 30, action = "delete" });

        var lease = await first.Services.GetRequiredService<RetentionLock>().TryTakeAsync(default);
        Assert.NotNull(lease);
        await using (lease)
        {
            await Json.AssertDetailAsync(await adaThere.Client.PostAsync("/api/v1/retention/run", null), 409, Running);
            await Json.AssertDetailAsync(await ada.Client.PostAsync("/api/v1/retention/run", null), 409, Running);
            Assert.NotNull(await FindAsync(ada, old));
        }

        Assert.Equal(1, (await RunAsync(adaThere))["deleted"]!.GetValue<int>());
        Assert.Null(await FindAsync(ada, old));
    }
}

public sealed class RetentionPassTestsOnSqlite() : RetentionPassTests(DatabaseKind.Sqlite);
public sealed class RetentionPassTestsOnPostgres() : RetentionPassTests(DatabaseKind.Postgres);
