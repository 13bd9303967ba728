using Dapper;
using Hearth.Server.Backups;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Backups;

/// <summary>
/// A damaged archive (a flipped byte, an entry left out, a wrong count, cut short) fails verification with a
/// problem naming what is wrong, and restore refuses it writing nothing; a target holding data is refused unless forced.
/// </summary>
public abstract class BackupArchiveCheckTests(DatabaseKind kind) : HearthTest(kind), IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hearth-backup-").FullName;

    private async Task<(string Archive, SampleData Data, HearthApp Origin)> ArchiveAsync()
    {
        var origin = await StartAsync();
        var data = await BackupSamples.SeedAsync(origin);
        return (await BackupSamples.BackUpAsync(origin, _folder), data, origin);
    }

    private static async Task<IReadOnlyList<string>> VerifyAsync(string archive)
    {
        await using var input = File.OpenRead(archive);
        return (await ArchiveVerifier.VerifyAsync(input, null, CancellationToken.None)).Problems;
    }

    /// <summary>Restore refuses, naming <paramref name="expected"/>, and the target holds no row and no file after.</summary>
    private async Task AssertRefusedAsync(string archive, string expected)
    {
        await using var target = await StartAsync();
        var outcome = await BackupSamples.RestoreAsync(target, archive);
        Assert.False(outcome.Restored);
        Assert.Contains(outcome.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(await RestoreStore.OccupiedTablesAsync(target.Services.GetRequiredService<Database>(), CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(target.DataDir, "uploads", "conversations")) &&
                     Directory.EnumerateFiles(Path.Combine(target.DataDir, "uploads", "conversations"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task ASoundArchiveVerifies()
    {
        var (archive, _, origin) = await ArchiveAsync();
        await origin.DisposeAsync();
        Assert.Empty(await VerifyAsync(archive));
    }

    [Fact]
    public async Task AFlippedByteNamesTheDamagedEntry()
    {
        var (archive, _, origin) = await ArchiveAsync();
        await origin.DisposeAsync();
        await ArchiveEdits.FlipByteOfAsync(archive, "Unmistakable first chat");
        const string expected = "tables/chats/000001.jsonl is damaged: its content does not match the SHA-256 in its header.";
        Assert.Contains(expected, await VerifyAsync(archive));
        await AssertRefusedAsync(archive, expected);
    }

    [Fact]
    public async Task AMissingFileEntryIsNamed()
    {
        var (archive, _, origin) = await ArchiveAsync();
        await origin.DisposeAsync();
        string? removed = null;
        await ArchiveEdits.RewriteAsync(archive, (name, data) =>
        {
            if (removed is null && name.EndsWith(".png", StringComparison.Ordinal))
            {
                removed = name;
                return null;
            }
            return data;
        });
        Assert.NotNull(removed);
        var expected = $"{removed} is missing (an artifact_files row names it).";
        Assert.Contains(expected, await VerifyAsync(archive));
        await AssertRefusedAsync(archive, expected);
    }

    [Fact]
    public async Task AMissingChunkAndAWrongCountAreNamed()
    {
        var (archive, _, origin) = await ArchiveAsync();
        await origin.DisposeAsync();
        await ArchiveEdits.RewriteAsync(archive, (name, data) => name switch
        {
            "tables/tags/000001.jsonl" => null,
            "manifest.json" => ArchiveEdits.RecountManifest(data, "users", +1),
            _ => data,
        });
        var problems = await VerifyAsync(archive);
        Assert.Contains("tables/tags/000001.jsonl is missing: the archive holds no rows of table tags.", problems);
        Assert.Contains("table users: the manifest counts 3 rows, the archive holds 2.", problems);
        await AssertRefusedAsync(archive, "table users: the manifest counts 3 rows, the archive holds 2.");
    }

    [Fact]
    public async Task AnArchiveCutShortIsRefused()
    {
        var (archive, _, origin) = await ArchiveAsync();
        await origin.DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(archive, bytes[..(bytes.Length / 2)]);
        var problems = await VerifyAsync(archive);
        Assert.Contains(problems, p => p.StartsWith("the archive is damaged after ", StringComparison.Ordinal) || p.StartsWith("manifest.json is missing", StringComparison.Ordinal));
        await AssertRefusedAsync(archive, "manifest.json is missing");
    }

    [Fact]
    public async Task ATargetHoldingDataIsRefusedUnlessForcedAndThenReplaced()
    {
        var (archive, data, origin) = await ArchiveAsync();
        var before = await BackupSamples.ViewAsync(origin, data);
        await origin.DisposeAsync();

        await using var target = await StartAsync();
        var carol = await target.SignUpAsync("Carol");
        var carols = await Chats.ChatDocs.CreateIdAsync(carol, "Carol's own");
        await ArtifactFiles.ArtifactUploads.UploadAsync(carol, carols, "carol.txt", "carol's file");
        var refused = await BackupSamples.RestoreAsync(target, archive);
        Assert.Contains(refused.Problems, p => p.Contains("holds rows in users, auth_sessions", StringComparison.Ordinal) && p.EndsWith("add --force to replace everything in it with the archive.", StringComparison.Ordinal));
        Assert.Equal(200, (int)(await carol.Client.GetAsync($"/api/v1/chats/{carols}")).StatusCode);

        var forced = await BackupSamples.RestoreAsync(target, archive, force: true);
        Assert.True(forced.Restored, string.Join("\n", forced.Problems));
        await target.RestartAsync();
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(before, await BackupSamples.ViewAsync(target, data)));
        var carolsFolder = Path.Combine(target.DataDir, "uploads", "conversations", carols);
        Assert.False(Directory.Exists(carolsFolder) && Directory.EnumerateFiles(carolsFolder, "*", SearchOption.AllDirectories).Any());
        var database = target.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chats WHERE title = 'Carol''s own'"));
    }

    /// <summary>A table added by a migration must be backed up or named as left out.</summary>
    [Fact]
    public async Task EveryTableIsBackedUpOrNamedAsLeftOut()
    {
        await using var app = await StartAsync();
        var database = app.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var tables = database.IsPostgres
            ? await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
            : await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'");
        var known = BackupTables.All.Select(t => t.Name).Concat(BackupTables.Skipped.Keys).ToHashSet();
        Assert.Equal([], tables.Where(t => !known.Contains(t)).ToArray());
        if (database.IsPostgres)
        {
            var booleans = await connection.QueryAsync<(string Table, string Column)>(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'boolean'");
            Assert.Equal(
                BackupTables.All.SelectMany(t => t.Booleans.Select(b => $"{t.Name}.{b}")).Order(),
                booleans.Select(b => $"{b.Table}.{b.Column}").Order());
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class BackupArchiveCheckTestsOnSqlite() : BackupArchiveCheckTests(DatabaseKind.Sqlite);
public sealed class BackupArchiveCheckTestsOnPostgres() : BackupArchiveCheckTests(DatabaseKind.Postgres);
