using System.Globalization;
using Hearth.Server.Hosting;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Backups;

/// <summary>
/// <c>BACKUP_INTERVAL</c>: a backup into <c>BACKUP_DIR</c> whenever the newest there is an interval old, named by its
/// UTC time (<c>hearth-backup-20261203T154300.123Z.tar</c>), written under <c>.partial</c> and renamed when whole,
/// then all but the newest <c>BACKUP_KEEP</c> removed. Processes sharing a PostgreSQL database take turns through an
/// advisory lock and look at the folder again once they hold it, so with a shared folder there is one backup per
/// interval, and never two at once. A failed backup is logged; Hearth serves on and tries at the next check.
/// </summary>
internal sealed class ScheduledBackups(BackupMaker maker, Database database, IOptions<BackupScheduleOptions> options,
    IOptions<ServerOptions> server, TimeProvider clock, ILogger<ScheduledBackups> logger) : BackgroundService
{
    public const string Prefix = "hearth-backup-";
    public const string Suffix = ".tar";
    private const string TimeFormat = "yyyyMMdd'T'HHmmss.fff'Z'";
    // Any constant, the same in every Hearth process; another than the migrations' lock.
    /// <summary>The processes' turn to back up (<see cref="SessionLock"/>).</summary>
    private const string LockName = "hearth-scheduled-backups";

    public string Folder => options.Value.Directory is { } folder ? Path.GetFullPath(folder) : Path.Combine(server.Value.DataDirFullPath, "backups");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval is not { } interval)
        {
            return;
        }
        // Checked four times an interval (at least once a minute): another process's backups count, so one that stops is replaced soon.
        var check = TimeSpan.FromTicks(Math.Min(interval.Ticks / 4, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(check, clock);
        do
        {
            try
            {
                await BackUpIfDueAsync(interval - check, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The scheduled backup into {Folder} failed; Hearth tries again at the next check", Folder);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>The archive written, or null when none was due or another process is writing one.</returns>
    public async Task<string?> BackUpIfDueAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        var folder = Folder;
        if (!Due(folder, age))
        {
            return null;
        }
        await using var turn = await SessionLock.TryTakeAsync(database, LockName, cancellationToken);
        if (turn is null || !Due(folder, age))
        {
            return null;
        }
        PrivateFiles.CreateFolder(folder);
        var path = Path.Combine(folder, Prefix + clock.GetUtcNow().UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + Suffix);
        var temporary = path + ".partial";
        try
        {
            BackupOutcome outcome;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, useAsync: true))
            {
                outcome = await maker.WriteAsync(stream, null, cancellationToken);
            }
            File.Move(temporary, path);
            foreach (var problem in outcome.Problems)
            {
                logger.LogWarning("Scheduled backup {Path}: {Problem}", path, problem);
            }
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        logger.LogInformation("Scheduled backup written to {Path}", path);
        Prune(folder);
        return path;
    }

    /// <summary>The finished backups in <paramref name="folder"/> with their times, newest first.</summary>
    public static IReadOnlyList<(string Path, DateTime Time)> Archives(string folder) =>
        !System.IO.Directory.Exists(folder)
            ? []
            : System.IO.Directory.EnumerateFiles(folder, Prefix + "*" + Suffix)
                .Select(path => (Path: path, Name: System.IO.Path.GetFileName(path)[Prefix.Length..^Suffix.Length]))
                .Select(f => (f.Path, Ok: DateTime.TryParseExact(f.Name, TimeFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time), Time: time))
                .Where(f => f.Ok).Select(f => (f.Path, f.Time)).OrderByDescending(f => f.Time).ToList();

    private bool Due(string folder, TimeSpan age) =>
        Archives(folder) is not [var newest, ..] || clock.GetUtcNow().UtcDateTime - newest.Time >= age;

    private void Prune(string folder)
    {
        if (options.Value.Keep is not { } keep)
        {
            return;
        }
        foreach (var (path, _) in Archives(folder).Skip(keep))
        {
            File.Delete(path);
            logger.LogInformation("Removed the old backup {Path} (BACKUP_KEEP={Keep})", path, keep);
        }
    }
}
