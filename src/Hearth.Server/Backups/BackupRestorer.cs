using System.Formats.Tar;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Hearth.Server.Hosting;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Backups;

/// <summary>How far a restore is: the entry being read.</summary>
internal sealed record RestoreProgress(string Stage, string Entry);

/// <summary>The manifest restored, or why nothing was (each problem names what is wrong).</summary>
internal sealed record RestoreOutcome(BackupManifest? Manifest, IReadOnlyList<string> Problems)
{
    public bool Restored => Problems.Count == 0;
}

/// <summary>
/// <c>restore</c>: checks the whole archive first (<see cref="ArchiveVerifier"/>), then refuses a target that holds
/// data unless forced, brings its schema to the archive's version, inserts every row in one transaction (counts
/// checked before it commits), puts the files, applies the newer migrations and writes the signing secret.
/// </summary>
internal sealed class BackupRestorer(Database database, MigrationRunner migrations, IBlobStorage blobs, IOptions<ServerOptions> server)
{
    public async Task<RestoreOutcome> RestoreAsync(string path, bool force, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        VerifyOutcome verified;
        await using (var input = File.OpenRead(path))
        {
            verified = await ArchiveVerifier.VerifyAsync(input, new Relay(progress, "checking"), cancellationToken);
        }
        if (!verified.Sound)
        {
            return new RestoreOutcome(verified.Manifest, verified.Problems);
        }
        var manifest = verified.Manifest!;
        if (await RefusalAsync(manifest, force, cancellationToken) is { } refusal)
        {
            return new RestoreOutcome(manifest, [refusal]);
        }
        var restoredFiles = new HashSet<string>(StringComparer.Ordinal);
        byte[]? secret = null;
        try
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                if (force)
                {
                    await RestoreStore.ClearAsync(connection, transaction);
                }
                var rows = RowInserter.For(connection, transaction);
                await using var input = File.OpenRead(path);
                using var reader = new TarReader(input);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    progress?.Report(new RestoreProgress("restoring", entry.Name));
                    var data = entry.DataStream ?? Stream.Null;
                    if (BackupArchive.ParseChunk(entry.Name) is { } chunk)
                    {
                        using var buffer = new MemoryStream();
                        await data.CopyToAsync(buffer, cancellationToken);
                        await rows.InsertAsync(entry.Name, BackupTables.Find(chunk.Table)!, buffer.ToArray(), cancellationToken);
                    }
                    else if (entry.Name.StartsWith(BackupArchive.FilesFolder, StringComparison.Ordinal))
                    {
                        var key = entry.Name[BackupArchive.FilesFolder.Length..];
                        await PutAsync(key, data, cancellationToken);
                        restoredFiles.Add(key);
                    }
                    else if (entry.Name == BackupArchive.SecretEntry)
                    {
                        using var buffer = new MemoryStream();
                        await data.CopyToAsync(buffer, cancellationToken);
                        secret = buffer.ToArray();
                    }
                }
                foreach (var table in manifest.Tables)
                {
                    var count = await RestoreStore.CountAsync(connection, transaction, table.Name);
                    if (count != table.Rows)
                    {
                        throw new InvalidDataException($"table {table.Name}: {count} rows restored where the manifest counts {table.Rows}.");
                    }
                }
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or System.Data.Common.DbException)
        {
            // Nothing of the rows stayed (the transaction rolled back); the files put so far go too.
            await RemoveAsync(restoredFiles);
            return new RestoreOutcome(manifest, [$"nothing was restored: {e.Message.TrimEnd('.')}."]);
        }
        await migrations.ApplyAsync(cancellationToken);
        if (force)
        {
            await RemoveOthersAsync(restoredFiles, cancellationToken);
        }
        if (secret is not null)
        {
            WriteSecret(secret);
        }
        return new RestoreOutcome(manifest, []);
    }

    /// <summary>Why the target cannot take the archive: a schema of another version, or data (unless forced).</summary>
    private async Task<string?> RefusalAsync(BackupManifest manifest, bool force, CancellationToken cancellationToken)
    {
        if (ArchiveTally.SchemaProblem(manifest, database.Provider) is { } newer)
        {
            return newer;
        }
        if (await RestoreStore.PrepareSchemaAsync(database, migrations, manifest.SchemaVersion, "the archive", cancellationToken) is { } other)
        {
            return other;
        }
        var occupied = await RestoreStore.OccupiedTablesAsync(database, cancellationToken);
        var hasFiles = await blobs.ListAsync(BlobKeys.Root, cancellationToken).AnyAsync(cancellationToken);
        if (!force && (occupied.Count > 0 || hasFiles))
        {
            var what = occupied.Count > 0 ? $"the database ({database.Description}) holds rows in {string.Join(", ", occupied)}" : $"{blobs.Description} holds artifact files";
            return $"{what}: restore into an empty one, or add --force to replace everything in it with the archive.";
        }
        return null;
    }

    /// <summary>Copied to a temporary file first: S3 wants a stream whose length it knows, and the archive's is a window into the tar.</summary>
    private async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        await using var file = await TemporaryCopy.FromAsync(content, cancellationToken, server.Value.DataDirFullPath);
        var type = key.Contains("/" + BlobKeys.MetaFolder + "/", StringComparison.Ordinal) ? "application/json" : FileKinds.MimeType(key, null);
        await blobs.PutAsync(key, file, file.Length, type, cancellationToken);
    }

    private async Task RemoveAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
        }
    }

    /// <summary>After a forced restore, the files the replaced data had and the archive has not.</summary>
    private async Task RemoveOthersAsync(HashSet<string> restored, CancellationToken cancellationToken)
    {
        var others = new List<string>();
        await foreach (var entry in blobs.ListAsync(BlobKeys.Root, cancellationToken))
        {
            if (!restored.Contains(entry.Key))
            {
                others.Add(entry.Key);
            }
        }
        await RemoveAsync(others);
    }

    private void WriteSecret(byte[] secret)
    {
        var path = Path.Combine(server.Value.DataDirFullPath, TokenService.SecretFileName);
        var temporary = path + ".partial";
        File.WriteAllBytes(temporary, secret);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Verification's entries reported as restore progress.</summary>
    private sealed class Relay(IProgress<RestoreProgress>? progress, string stage) : IProgress<string>
    {
        public void Report(string value) => progress?.Report(new RestoreProgress(stage, value));
    }
}
