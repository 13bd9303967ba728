using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Backups;

/// <summary>The real program's backup, verify and restore: a backup of a serving Hearth, checked, restored into a new data folder.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-backup-cli-").FullName;

    [Fact]
    public async Task BackupVerifyAndRestoreRunFromTheCommandLine()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var data = await BackupSamples.SeedAsync(origin);
        var before = await BackupSamples.ViewAsync(origin, data);
        var archive = Path.Combine(_folder, "hearth.tar");

        // Taken from another process while the server serves.
        var (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = origin.DataDir, ["DATABASE_URL"] = null },
            "backup", "--output", archive);
        Assert.True(exitCode == 0, output + errors);
        Assert.Matches($@"^Backed up \d+ rows of {Hearth.Server.Backups.BackupTables.All.Count} tables and 3 files \(0\.0 MB\) at schema version \d+ to {System.Text.RegularExpressions.Regex.Escape(archive)}\.\n$", output);
        Assert.Contains("artifact_files", errors);

        (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = _folder, ["DATABASE_URL"] = null }, "verify", archive);
        Assert.True(exitCode == 0, output + errors);
        Assert.StartsWith($"{archive} is sound: Hearth ", output);

        var restoredDir = Path.Combine(_folder, "restored");
        (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = restoredDir, ["DATABASE_URL"] = null }, "restore", archive);
        Assert.True(exitCode == 0, output + errors);
        // The migrations applied to the new database are logged before the summary.
        Assert.Contains($"\n{archive} was restored into SQLite", "\n" + output);

        // A second restore finds the data of the first and refuses.
        (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = restoredDir, ["DATABASE_URL"] = null }, "restore", archive);
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains($"{archive} was not restored:\n  the database (", errors);
        Assert.Contains("add --force to replace everything in it with the archive.", errors);

        await using var copy = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["DATA_DIR"] = restoredDir });
        Assert.True(JsonNode.DeepEquals(before, await BackupSamples.ViewAsync(copy, data)));
    }

    [Fact]
    public async Task VerifyNamesWhatIsWrongAndExits1()
    {
        var archive = Path.Combine(_folder, "not-a-backup.tar");
        await File.WriteAllTextAsync(archive, "this is no tar archive at all, and certainly no Hearth backup");
        var (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = _folder, ["DATABASE_URL"] = null }, "verify", archive);
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains($"{archive} fails verification:\n", errors);
        Assert.Contains("manifest.json is missing", errors);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
