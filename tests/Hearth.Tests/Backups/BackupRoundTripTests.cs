using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Backups;

/// <summary>
/// backup → restore, from each database onto each: the restored Hearth answers every chat, list, artifact, file
/// and user exactly as the one backed up did, its tokens (the signing secret came along) and API keys work.
/// </summary>
public abstract class BackupRoundTripTests(DatabaseKind source, DatabaseKind target) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-backup-").FullName;

    [Fact]
    public async Task ARestoredHearthAnswersAsTheOneBackedUp()
    {
        await using var origin = await HearthApp.StartAsync(source);
        var data = await BackupSamples.SeedAsync(origin);
        var before = await BackupSamples.ViewAsync(origin, data);
        var archive = await BackupSamples.BackUpAsync(origin, _folder);

        await using var copy = await HearthApp.StartAsync(target);
        var outcome = await BackupSamples.RestoreAsync(copy, archive);
        Assert.True(outcome.Restored, string.Join("\n", outcome.Problems));
        await copy.RestartAsync();

        var after = await BackupSamples.ViewAsync(copy, data);
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
        await BackupSamples.AssertCredentialsWorkAsync(copy, data);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class BackupRoundTripTestsSqliteToSqlite() : BackupRoundTripTests(DatabaseKind.Sqlite, DatabaseKind.Sqlite);
public sealed class BackupRoundTripTestsPostgresToPostgres() : BackupRoundTripTests(DatabaseKind.Postgres, DatabaseKind.Postgres);
public sealed class BackupRoundTripTestsSqliteToPostgres() : BackupRoundTripTests(DatabaseKind.Sqlite, DatabaseKind.Postgres);
public sealed class BackupRoundTripTestsPostgresToSqlite() : BackupRoundTripTests(DatabaseKind.Postgres, DatabaseKind.Sqlite);
