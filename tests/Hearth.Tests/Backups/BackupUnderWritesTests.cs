using Dapper;
using Hearth.Server.Backups;
using Hearth.Server.Storage;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.KeyValue;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Backups;

/// <summary>
/// A backup taken while writes go on restores to one consistent state: every write wholly in or wholly out
/// (a batch's two keys agree, each chat has all its messages, byte totals agree with the rows they count).
/// </summary>
public abstract class BackupUnderWritesTests(DatabaseKind kind) : HearthTest(kind), IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-backup-").FullName;

    [Fact]
    public async Task ABackupTakenDuringWritesRestoresEveryWriteWhollyInOrOut()
    {
        await using var origin = await StartAsync();
        var ada = await origin.SignUpAsync("Ada");
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writers = Enumerable.Range(0, 3).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                // Two keys in one batch, so one transaction: a backup has both at the same value or neither.
                var value = $"\"{writer}-{n}\"";
                await ada.Client.BatchAsync($$"""
                    [{"op": "store", "key": "left-{{writer}}", "scope": "personal", "value": {{value}}},
                     {"op": "store", "key": "right-{{writer}}", "scope": "shared", "value": {{value}}}]
                    """).SucceedsAsync();
                await ChatDocs.CreateIdAsync(ada, $"pairs {n % 4 + 1}", pairs: n % 4 + 1);
                Interlocked.Increment(ref writes);
            }
        })).ToList();

        // Some writes first, so the snapshot has rows of every kind.
        var started = DateTime.UtcNow;
        while (Volatile.Read(ref writes) < 3 && DateTime.UtcNow - started < TimeSpan.FromSeconds(30) && writers.All(w => !w.IsCompleted))
        {
            await Task.Delay(10);
        }
        var path = Path.Combine(_folder, "during.tar");
        var duringBackup = -1;
        await using (var stream = File.Create(path))
        {
            // Half-way (after the users, before the chats), the backup waits until more writes have committed.
            var progress = new Hearth.Server.Hosting.ConsoleProgress<BackupProgress>(p =>
            {
                if (p.Table == "server_settings" && duringBackup < 0)
                {
                    duringBackup = Volatile.Read(ref writes);
                    var deadline = DateTime.UtcNow.AddSeconds(30);
                    while (Volatile.Read(ref writes) < duringBackup + 5 && DateTime.UtcNow < deadline && writers.All(w => !w.IsCompleted))
                    {
                        Thread.Yield();
                    }
                }
            });
            var outcome = await origin.Services.GetRequiredService<BackupMaker>().WriteAsync(stream, progress, CancellationToken.None);
            Assert.Empty(outcome.Problems);
        }
        var afterBackup = Volatile.Read(ref writes);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(afterBackup >= duringBackup + 5, "writes went on while the backup ran");

        await using var copy = await StartAsync();
        var restored = await BackupSamples.RestoreAsync(copy, path);
        Assert.True(restored.Restored, string.Join("\n", restored.Problems));
        await copy.RestartAsync();

        await using var connection = await copy.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var values = (await connection.QueryAsync<(string Key, string Value)>("SELECT key, value FROM artifacts")).ToDictionary(r => r.Key, r => r.Value);
        for (var writer = 0; writer < 3; writer++)
        {
            Assert.Equal(values.GetValueOrDefault($"left-{writer}"), values.GetValueOrDefault($"right-{writer}"));
        }
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM artifact_usage u WHERE u.bytes <> (SELECT COALESCE(SUM(a.size), 0) FROM artifacts a WHERE a.owner_id = u.owner_id)"));
        var signedIn = await copy.SignInAsync(ada.Email, ada.Password);
        var chats = (await Json.ReadAsync(await signedIn.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        Assert.NotEmpty(chats);
        foreach (var chat in chats)
        {
            var pairs = int.Parse(chat!["title"]!.GetValue<string>()["pairs ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(pairs * 2, chat["chat"]!["history"]!["messages"]!.AsObject().Count);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class BackupUnderWritesTestsOnSqlite() : BackupUnderWritesTests(DatabaseKind.Sqlite);
public sealed class BackupUnderWritesTestsOnPostgres() : BackupUnderWritesTests(DatabaseKind.Postgres);
