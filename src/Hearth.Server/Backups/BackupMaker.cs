using System.Formats.Tar;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Hearth.Server.Hosting;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Backups;

/// <summary>Where a backup is: the table being read, rows so far, files and their bytes.</summary>
internal sealed record BackupProgress(string Table, long Rows, long Files, long FileBytes);

/// <summary>The manifest written, and what went wrong without stopping the backup (a file that no longer matches its checksum).</summary>
internal sealed record BackupOutcome(BackupManifest Manifest, IReadOnlyList<string> Problems);

/// <summary>
/// <c>backup</c>: everything Hearth keeps, taken while it serves, into one archive (<see cref="BackupArchive"/>):
/// the rows of every table from one snapshot, each artifact file with its sidecar, and the signing secret.
/// </summary>
internal sealed class BackupMaker(Database database, IBlobStorage blobs, IOptions<ServerOptions> server, IOptions<AuthOptions> auth,
    TimeProvider clock)
{
    private const int RowsPerReport = 1000;

    public async Task<BackupOutcome> WriteAsync(Stream output, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var files = new BackupFileCopier(tar, blobs, problems);
        var tables = new List<TableSummary>();
        int schemaVersion;
        await using (var snapshot = await BackupSnapshot.OpenAsync(database, cancellationToken))
        {
            schemaVersion = await snapshot.SchemaVersionAsync(cancellationToken)
                ?? throw new StartupProblem($"the database ({database.Setting}) holds no Hearth data: nothing to back up.");
            foreach (var table in BackupTables.All)
            {
                using var chunks = new TableChunkWriter(tar, table);
                await using var reader = await snapshot.ReadAsync(table, cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (table.Name == "artifact_files" && !await files.CopyAsync(reader, cancellationToken))
                    {
                        continue;
                    }
                    await chunks.AddAsync(reader, cancellationToken);
                    if (chunks.Rows % RowsPerReport == 0 || table.Name == "artifact_files")
                    {
                        progress?.Report(new BackupProgress(table.Name, chunks.Rows, files.Files, files.Bytes));
                    }
                }
                tables.Add(await chunks.CloseAsync(cancellationToken));
                progress?.Report(new BackupProgress(table.Name, chunks.Rows, files.Files, files.Bytes));
            }
        }
        var secret = await CopySecretAsync(tar, cancellationToken);
        var manifest = new BackupManifest(BackupArchive.Format, BackupArchive.FormatVersion, CommonSetup.Version, schemaVersion,
            database.IsPostgres ? "postgresql" : "sqlite", clock.GetUtcNow(), tables, new FilesSummary(files.Files, files.Bytes, files.Sidecars), secret);
        var bytes = manifest.ToBytes();
        var entry = BackupArchive.Entry(BackupArchive.ManifestEntry, BackupArchive.Sha256(bytes));
        entry.DataStream = new MemoryStream(bytes);
        await tar.WriteEntryAsync(entry, cancellationToken);
        return new BackupOutcome(manifest, problems);
    }

    /// <summary>The secret generated in DATA_DIR, when tokens are signed with it (WEBUI_SECRET_KEY set is kept by whoever sets it).</summary>
    private async Task<string> CopySecretAsync(TarWriter tar, CancellationToken cancellationToken)
    {
        if (auth.Value.SecretKey is not null)
        {
            return "environment";
        }
        var path = Path.Combine(server.Value.DataDirFullPath, TokenService.SecretFileName);
        if (!File.Exists(path))
        {
            return "none";
        }
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var entry = BackupArchive.Entry(BackupArchive.SecretEntry, BackupArchive.Sha256(bytes));
        entry.DataStream = new MemoryStream(bytes);
        await tar.WriteEntryAsync(entry, cancellationToken);
        return "file";
    }
}
