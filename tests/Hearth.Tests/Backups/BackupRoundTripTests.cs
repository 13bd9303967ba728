using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Backups;

/// <summary>
/// backup → restore, from each database onto each: the restored Hearth answers every chat, list, artifact, file
/// and user exactly as the one backed up did (groups with their members and permissions, workspace models with
/// their grants, and what those give Bob included), its tokens (the signing secret came along) and API keys work.
/// With <c>s3</c>, both keep their files in buckets of a real S3-compatible server.
/// </summary>
public abstract class BackupRoundTripTests(DatabaseKind source, DatabaseKind target, bool s3 = false) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-backup-").FullName;

    [Fact]
    public async Task ARestoredHearthAnswersAsTheOneBackedUp()
    {
        await using var origin = await HearthApp.StartAsync(source, await StorageAsync());
        var data = await BackupSamples.SeedAsync(origin);
        var before = await BackupSamples.ViewAsync(origin, data);
        var archive = await BackupSamples.BackUpAsync(origin, _folder);

        await using var copy = await HearthApp.StartAsync(target, await StorageAsync());
        var outcome = await BackupSamples.RestoreAsync(copy, archive);
        Assert.True(outcome.Restored, string.Join("\n", outcome.Problems));
        await copy.RestartAsync();

        var after = await BackupSamples.ViewAsync(copy, data);
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
        await BackupSamples.AssertCredentialsWorkAsync(copy, data);
    }

    /// <summary>A bucket of its own for each Hearth, or the data folder.</summary>
    private async Task<Dictionary<string, string?>> StorageAsync()
    {
        if (!s3)
        {
            return [];
        }
        var (endpoint, bucket) = await S3Server.CreateBucketAsync();
        return new Dictionary<string, string?>
        {
            ["STORAGE_PROVIDER"] = "s3", ["S3_ENDPOINT_URL"] = endpoint, ["S3_BUCKET_NAME"] = bucket,
            ["S3_ACCESS_KEY_ID"] = S3Server.AccessKey, ["S3_SECRET_ACCESS_KEY"] = S3Server.SecretKey, ["S3_REGION_NAME"] = "us-east-1",
        };
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class BackupRoundTripTestsSqliteToSqlite() : BackupRoundTripTests(DatabaseKind.Sqlite, DatabaseKind.Sqlite);
public sealed class BackupRoundTripTestsPostgresToPostgres() : BackupRoundTripTests(DatabaseKind.Postgres, DatabaseKind.Postgres);
public sealed class BackupRoundTripTestsSqliteToPostgres() : BackupRoundTripTests(DatabaseKind.Sqlite, DatabaseKind.Postgres);
public sealed class BackupRoundTripTestsPostgresToSqlite() : BackupRoundTripTests(DatabaseKind.Postgres, DatabaseKind.Sqlite);
public sealed class BackupRoundTripTestsSqliteWithS3ToPostgresWithS3() : BackupRoundTripTests(DatabaseKind.Sqlite, DatabaseKind.Postgres, s3: true);
