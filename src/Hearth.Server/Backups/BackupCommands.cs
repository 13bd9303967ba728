using System.CommandLine;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Hosting;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Backups;

/// <summary>
/// <c>backup</c>, <c>verify</c> and <c>restore</c> on the command line, with the server's configuration (DATA_DIR,
/// DATABASE_URL, STORAGE_PROVIDER). A backup runs beside a serving Hearth; a restore wants Hearth stopped.
/// </summary>
internal static class BackupCommands
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "backup" or "verify" or "restore" or "migrate-db";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var output = new Option<FileInfo>("--output") { Description = "The archive to write (a tar file)", Required = true };
        var archive = new Argument<FileInfo>("file") { Description = "An archive written by backup" };
        var force = new Option<bool>("--force") { Description = "Replace whatever the database and file storage hold" };

        var backup = new Command("backup", "Back up everything Hearth keeps into one archive, while Hearth serves") { output };
        backup.SetAction((result, ct) => Backup(app, result.GetValue(output)!, ct));
        var verify = new Command("verify", "Check an archive (checksums, counts, files) without restoring it") { archive };
        verify.SetAction((result, ct) => Verify(result.GetValue(archive)!, ct));
        var restore = new Command("restore", "Restore an archive into an empty database and file storage") { archive, force };
        restore.SetAction((result, ct) => Restore(app, result.GetValue(archive)!, result.GetValue(force), ct));
        var to = new Option<string>("--to") { Description = "The PostgreSQL database to copy into: postgresql://user:password@host:5432/database", Required = true };
        var replace = new Option<bool>("--force") { Description = "Replace whatever the target database holds" };
        var filesTo = new Option<string?>("--files-to") { Description = "Copy artifact files too, into a directory (the new DATA_DIR) or s3://BUCKET" };
        var migrate = new Command("migrate-db", "Copy this Hearth's database into PostgreSQL (resumable; files too with --files-to)") { to, replace, filesTo };
        migrate.SetAction((result, ct) => MigrateDb(app, result.GetValue(to)!, result.GetValue(replace), result.GetValue(filesTo), ct));
        return await new RootCommand("Hearth backups") { backup, verify, restore, migrate }.Parse(args).InvokeAsync();
    }

    private static async Task<int> Backup(WebApplication app, FileInfo file, CancellationToken cancellationToken)
    {
        var maker = app.Services.GetRequiredService<BackupMaker>();
        var temporary = file.FullName + ".partial";
        BackupOutcome outcome;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20, useAsync: true))
            {
                outcome = await maker.WriteAsync(stream, new ConsoleProgress<BackupProgress>(p => Console.Error.Write(
                    $"\r  {p.Table,-20} {p.Rows,10} rows | {p.Files} files, {p.FileBytes / 1048576.0:F1} MB   ")), cancellationToken);
            }
            Console.Error.WriteLine();
            File.Move(temporary, file.FullName, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        foreach (var problem in outcome.Problems)
        {
            Console.Error.WriteLine($"  {problem}");
        }
        var manifest = outcome.Manifest;
        Console.WriteLine($"Backed up {manifest.Tables.Sum(t => t.Rows)} rows of {manifest.Tables.Count} tables and {manifest.Files.Count} files " +
                          $"({manifest.Files.Bytes / 1048576.0:F1} MB) at schema version {manifest.SchemaVersion} to {file.FullName}.");
        if (manifest.Secret == "environment")
        {
            Console.WriteLine("Tokens are signed with WEBUI_SECRET_KEY, which is not in the archive: keep it with the archive.");
        }
        return outcome.Problems.Count > 0 ? 1 : 0;
    }

    private static async Task<int> Verify(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"No such file: {file.FullName}");
            return 2;
        }
        VerifyOutcome outcome;
        await using (var input = file.OpenRead())
        {
            outcome = await ArchiveVerifier.VerifyAsync(input, EntryProgress("checking"), cancellationToken);
        }
        Console.Error.WriteLine();
        return Report(outcome.Manifest, outcome.Problems, file, "is sound", "fails verification");
    }

    private static async Task<int> Restore(WebApplication app, FileInfo file, bool force, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"No such file: {file.FullName}");
            return 2;
        }
        var outcome = await app.Services.GetRequiredService<BackupRestorer>().RestoreAsync(file.FullName, force,
            new ConsoleProgress<RestoreProgress>(p => Console.Error.Write($"\r  {p.Stage} {Shorten(p.Entry),-60}")), cancellationToken);
        Console.Error.WriteLine();
        return Report(outcome.Manifest, outcome.Problems, file, $"was restored into {app.Services.GetRequiredService<Database>().Description}", "was not restored");
    }

    private static async Task<int> MigrateDb(WebApplication app, string to, bool force, string? filesTo, CancellationToken cancellationToken)
    {
        if (!to.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) && !to.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine("--to must be a PostgreSQL database: postgresql://user:password@host:5432/database.");
            return 2;
        }
        var url = DatabaseUrl.Parse(to, ".");
        var (files, filesProblem) = filesTo is null ? (null, null)
            : FilesTarget.Open(filesTo, app.Services.GetRequiredService<IOptions<FileStorageOptions>>().Value);
        if (filesProblem is not null)
        {
            Console.Error.WriteLine(filesProblem);
            return 2;
        }
        using var disposable = files as IDisposable;
        var mover = app.Services.GetRequiredService<DatabaseMover>();
        var outcome = await mover.MoveAsync(url, force, new ConsoleProgress<MoveProgress>(p => Console.Error.Write(
            $"\r  {p.Stage,-8} {p.Table,-20} {p.Rows,10} rows   ")), cancellationToken, filesTo: files);
        Console.Error.WriteLine();
        if (outcome.Counts.Count > 0)
        {
            Console.WriteLine($"  {"table",-20} {"source",10} {"target",10}");
            foreach (var count in outcome.Counts)
            {
                Console.WriteLine($"  {count.Table,-20} {count.Source,10} {count.Target,10}{(count.Source == count.Target ? "" : "  differs")}");
            }
        }
        if (!outcome.Moved)
        {
            Console.Error.WriteLine($"migrate-db did not complete:");
            foreach (var problem in outcome.Problems)
            {
                Console.Error.WriteLine($"  {problem}");
            }
            return 1;
        }
        var kept = outcome.Kept.Count > 0 ? $" ({outcome.Kept.Count} tables copied by the interrupted run were kept)" : "";
        Console.WriteLine($"Copied {outcome.Counts.Sum(c => c.Target)} rows of {outcome.Counts.Count} tables into {url.Description}{kept}.");
        if (outcome.Deferred.Count > 0)
        {
            Console.WriteLine($"The search indexes ({string.Join(", ", outcome.Deferred)}) are left for Hearth to build once it starts on the new " +
                              "database: it serves meanwhile, and searches are slower until its log says they are built.");
        }
        if (outcome.Files is { } moved)
        {
            Console.WriteLine($"Copied {moved.Copied} artifact files ({moved.Bytes / 1048576.0:F1} MB) into {files!.Description}, each checked by its SHA-256" +
                              (moved.AlreadyThere > 0 ? $" ({moved.AlreadyThere} were there from the interrupted run)" : "") + $"; {mover.FilesDescription} keeps its copies.");
            Console.WriteLine("Stop Hearth and start it again with DATABASE_URL set to the new database and the storage settings (STORAGE_PROVIDER, " +
                              "S3_BUCKET_NAME or DATA_DIR, with the signing secret) pointing at the new files. Writes made after the copy began are not in it.");
            return 0;
        }
        Console.WriteLine($"Artifact files stay in {mover.FilesDescription}, and the signing secret in DATA_DIR: keep both, stop Hearth, " +
                          "and start it again with DATABASE_URL set to the new database. Writes made after the copy began are not in it.");
        return 0;
    }

    private static int Report(BackupManifest? manifest, IReadOnlyList<string> problems, FileInfo file, string success, string failure)
    {
        if (problems.Count > 0)
        {
            Console.Error.WriteLine($"{file.FullName} {failure}:");
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"  {problem}");
            }
            return 1;
        }
        Console.WriteLine($"{file.FullName} {success}: Hearth {manifest!.HearthVersion}, schema version {manifest.SchemaVersion}, " +
                          $"{manifest.Tables.Sum(t => t.Rows)} rows, {manifest.Files.Count} files, taken {manifest.CreatedAt:u} on {manifest.Database}.");
        return 0;
    }

    private static ConsoleProgress<string> EntryProgress(string stage) =>
        new(entry => Console.Error.Write($"\r  {stage} {Shorten(entry),-60}"));

    private static string Shorten(string entry) => entry.Length <= 60 ? entry : "..." + entry[^57..];
}
