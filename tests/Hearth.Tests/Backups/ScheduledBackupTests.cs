using Hearth.Server.Backups;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Backups;

/// <summary>
/// BACKUP_INTERVAL, BACKUP_DIR, BACKUP_KEEP: a serving Hearth writes sound archives on its own, keeps the newest N,
/// and Hearth processes sharing a PostgreSQL database (and the folder) take turns instead of each writing its own.
/// </summary>
public abstract class ScheduledBackupTests(DatabaseKind kind) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-scheduled-").FullName;

    [Fact]
    public async Task BackupsAppearSoundAndOnlyTheNewestAreKept()
    {
        // Three old archives (by their names' times) that BACKUP_KEEP=2 must remove once two newer exist.
        foreach (var day in new[] { 1, 2, 3 })
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, $"{ScheduledBackups.Prefix}202001{day:D2}T000000.000Z{ScheduledBackups.Suffix}"), "old");
        }
        await using var app = await HearthApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["BACKUP_INTERVAL"] = "1s", ["BACKUP_DIR"] = _folder, ["BACKUP_KEEP"] = "2",
        });
        await app.SignUpAsync("Ada");

        var kept = await WaitForAsync(() => ScheduledBackups.Archives(_folder) is { Count: 2 } archives && archives.All(a => a.Time.Year > 2020)
            ? archives : null);
        Assert.True(kept[0].Time - kept[1].Time >= TimeSpan.FromSeconds(0.75), $"{kept[1].Time:O} then {kept[0].Time:O}");
        Assert.DoesNotContain(Directory.EnumerateFiles(_folder), f => Path.GetFileName(f).Contains("2020", StringComparison.Ordinal));

        // A later archive has the user (the first may predate the sign-up).
        var newest = await WaitForAsync(() => ScheduledBackups.Archives(_folder).FirstOrDefault(a => a.Time > kept[0].Time) is { Path: not null } a ? a.Path : null);
        await using var input = File.OpenRead(newest);
        var verified = await ArchiveVerifier.VerifyAsync(input, null, CancellationToken.None);
        Assert.True(verified.Sound, string.Join("\n", verified.Problems));
        Assert.Equal(1, verified.Manifest!.Tables.Single(t => t.Name == "users").Rows);
    }

    [Fact]
    public async Task ABackupThatFailsIsLoggedAndHearthServesOn()
    {
        var blocked = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocked, "not a folder");
        await using var app = await HearthApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["BACKUP_INTERVAL"] = "1s", ["BACKUP_DIR"] = Path.Combine(blocked, "backups"),
        });
        await app.SignUpAsync("Ada");
        Assert.Equal(200, (int)(await app.Client().GetAsync("/health")).StatusCode);
    }

    protected static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, "waited 60 s in vain");
            await Task.Delay(100);
        }
    }

    protected string Folder => _folder;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class ScheduledBackupTestsOnSqlite() : ScheduledBackupTests(DatabaseKind.Sqlite);

public sealed class ScheduledBackupTestsOnPostgres() : ScheduledBackupTests(DatabaseKind.Postgres)
{
    /// <summary>Two processes, one database, one folder: backups a whole interval (less one check) apart, never two at once.</summary>
    [Fact]
    public async Task TwoProcessesOnOneDatabaseTakeTurns()
    {
        var settings = new Dictionary<string, string?> { ["BACKUP_INTERVAL"] = "2s", ["BACKUP_DIR"] = Folder, ["WEBUI_SECRET_KEY"] = "shared" };
        await using var first = await HearthApp.StartAsync(DatabaseKind.Postgres, settings);
        await using var second = await HearthApp.StartAsync(DatabaseKind.Postgres, settings, databaseUrl: first.DatabaseUrl);
        var archives = await WaitForAsync(() => ScheduledBackups.Archives(Folder) is { Count: >= 4 } a ? a : null);
        var gaps = archives.Zip(archives.Skip(1), (later, earlier) => later.Time - earlier.Time).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromSeconds(1.5), string.Join(", ", archives.Select(a => a.Time.ToString("HH:mm:ss.fff")))));
    }
}
