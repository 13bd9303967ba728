using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Backups;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Backups;

/// <summary>
/// <c>migrate-db --files-to</c>: the artifact files and their sidecars go along with the database, into an S3
/// bucket or another directory; an interrupted copy goes on where it stopped, and a damaged copy in the target
/// (its SHA-256 differs from the recorded one) is copied again.
/// </summary>
public sealed class MigrateFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-files-to-").FullName;

    [Fact]
    public async Task AHearthOnTheCopiedDatabaseAndBucketServesEveryFile()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var data = await BackupSamples.SeedAsync(origin);
        var before = await BackupSamples.ViewAsync(origin, data);
        var target = await PostgresServer.CreateDatabaseAsync();
        var (endpoint, bucket) = await S3Server.CreateBucketAsync();
        var settings = new Dictionary<string, string?>
        {
            ["STORAGE_PROVIDER"] = "s3", ["S3_ENDPOINT_URL"] = endpoint, ["S3_BUCKET_NAME"] = bucket,
            ["S3_ACCESS_KEY_ID"] = S3Server.AccessKey, ["S3_SECRET_ACCESS_KEY"] = S3Server.SecretKey, ["S3_REGION_NAME"] = "us-east-1",
        };
        var (storage, problem) = FilesTarget.Open($"s3://{bucket}", new FileStorageOptions
        {
            S3EndpointUrl = endpoint, S3AccessKeyId = S3Server.AccessKey, S3SecretAccessKey = S3Server.SecretKey,
        });
        Assert.Null(problem);
        using var disposable = storage as IDisposable;

        var outcome = await MoveAsync(origin, target, storage!);
        Assert.True(outcome.Moved, string.Join("\n", outcome.Problems));
        Assert.Equal(new FileMoveTally(3, 0, outcome.Files!.Bytes), outcome.Files);
        Assert.Equal(6, (await S3Server.KeysAsync(endpoint, bucket, BlobKeys.Root)).Count); // three files, three sidecars

        await origin.RestartAsync(new Dictionary<string, string?>(settings) { ["DATABASE_URL"] = target });
        var after = await BackupSamples.ViewAsync(origin, data);
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
    }

    [Fact]
    public async Task AnInterruptedFileCopyGoesOnAndADamagedCopyIsReplaced()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        await BackupSamples.SeedAsync(origin);
        var target = await PostgresServer.CreateDatabaseAsync();
        var directory = new DiskBlobStorage(_folder);

        // Stopped once the first file is in, as a Ctrl+C would.
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MoveAsync(origin, target, directory, stop.Token,
            new StopAtFiles(stop)));
        Assert.Single(Files());

        var resumed = await MoveAsync(origin, target, directory);
        Assert.True(resumed.Moved, string.Join("\n", resumed.Problems));
        Assert.Equal((2, 1), (resumed.Files!.Copied, resumed.Files.AlreadyThere));

        // A copy whose bytes changed in the target is not taken for done.
        await File.WriteAllTextAsync(Files()[1], "damaged");
        var again = await MoveAsync(origin, target, directory, force: true);
        Assert.True(again.Moved, string.Join("\n", again.Problems));
        Assert.Equal((1, 2), (again.Files!.Copied, again.Files.AlreadyThere));

        // Every file in the directory has the SHA-256 its row records, and the sidecars came too.
        await using var rows = new SqliteConnection($"Data Source={Path.Combine(origin.DataDir, DatabaseUrl.DefaultFileName)};Pooling=False");
        var recorded = (await rows.QueryAsync<(string Key, string Sha256)>("SELECT storage_key, sha256 FROM artifact_files")).ToList();
        Assert.Equal(3, recorded.Count);
        foreach (var (key, sha256) in recorded)
        {
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_folder, key)))));
        }
        Assert.Equal(3, Directory.GetFiles(_folder, "*.json", SearchOption.AllDirectories).Length);
    }

    private List<string> Files() =>
        Directory.Exists(Path.Combine(_folder, "uploads"))
            ? Directory.GetFiles(Path.Combine(_folder, "uploads"), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).ToList()
            : [];

    private static Task<MoveOutcome> MoveAsync(HearthApp origin, string target, IBlobStorage files, CancellationToken cancellationToken = default,
        IProgress<MoveProgress>? progress = null, bool force = false) =>
        origin.Services.GetRequiredService<DatabaseMover>().MoveAsync(DatabaseUrl.Parse(target, origin.DataDir), force, progress, cancellationToken,
            filesTo: files);

    /// <summary>Cancels the run when the first file has been copied (reported synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class StopAtFiles(CancellationTokenSource stop) : IProgress<MoveProgress>
    {
        public void Report(MoveProgress value)
        {
            if (value.Stage == "files")
            {
                stop.Cancel();
            }
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
