using System.Diagnostics;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// backup: 1 GB of chats (the SQLite database, ten messages a chat with a few KB of sources each, in the web client's
/// shape) and 1 GB of artifact files (1 MB each, random bytes, with their sidecars) at scale 1, backed up by
/// <c>backup --output</c> in its own process while the benchmark's Hearth serves the same data directory, against
/// <c>tar</c> of that directory onto the same disk, in alternating rounds. Reports the backup's rate (archive bytes
/// per second), its ratio to tar's, and the backup process's peak resident memory.
/// </summary>
internal static class BackupBenchmark
{
    private const long Megabyte = 1 << 20;
    private const int Padding = 4096;

    public static async Task RunAsync(BenchmarkContext context)
    {
        var target = (long)(1024 * Megabyte * context.Options.Scale);
        var user = await context.Hearth.CreateUserAsync(context.Http, "backup-bench");
        var dataDir = context.Hearth.DataDir;
        await SeedChatsAsync(context, user.Id, target);
        await SeedFilesAsync(context, user.Id, target);
        var work = Directory.CreateTempSubdirectory("hearth-backup-bench-").FullName;
        try
        {
            var backups = new List<(double Seconds, long Bytes, long PeakKb)>();
            var tars = new List<(double Seconds, long Bytes)>();
            for (var round = 0; round < context.Options.Rounds; round++)
            {
                // The side that goes first changes every round (the first pays for a cold page cache, the second for the
                // first's writes still going to disk), as in every other benchmark.
                if (round % 2 == 0)
                {
                    tars.Add(await TarAsync(dataDir, Path.Combine(work, "baseline.tar")));
                    backups.Add(await BackupAsync(dataDir, Path.Combine(work, "backup.tar")));
                }
                else
                {
                    backups.Add(await BackupAsync(dataDir, Path.Combine(work, "backup.tar")));
                    tars.Add(await TarAsync(dataDir, Path.Combine(work, "baseline.tar")));
                }
                Console.WriteLine($"  round {round + 1}: backup {Rate(backups[^1]):F0} MB/s, tar {Rate(tars[^1]):F0} MB/s, " +
                                  $"backup peak {backups[^1].PeakKb / 1024} MB");
            }
            var rate = LoadDriver.Median(backups.Select(Rate));
            var ratio = LoadDriver.Median(backups.Zip(tars, (b, t) => Rate(b) / Rate(t)));
            var peakMb = backups.Max(b => b.PeakKb) / 1024.0;
            context.Report.Note($"backup of {backups[^1].Bytes / (double)Megabyte:F0} MB (chats and files) while Hearth serves: {rate:F0} MB/s " +
                                $"{Report.AtLeast(rate, 50, " MB/s")}, {ratio:F2}x tar of the data directory");
            context.Report.Note($"backup peak resident memory: {peakMb:F0} MB {Report.AtMost(peakMb, 200, " MB")}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Rate((double Seconds, long Bytes, long PeakKb) run) => run.Bytes / (double)Megabyte / run.Seconds;

    private static double Rate((double Seconds, long Bytes) run) => run.Bytes / (double)Megabyte / run.Seconds;

    /// <summary>Chats in batches until the database (with its write-ahead log) holds <paramref name="bytes"/>.</summary>
    private static async Task SeedChatsAsync(BenchmarkContext context, string userId, long bytes)
    {
        var database = Path.Combine(context.Hearth.DataDir, Hearth.Server.Storage.DatabaseUrl.DefaultFileName);
        var seeder = new ChatSeeder(context.Hearth.Services.GetRequiredService<ChatStore>());
        var clock = Stopwatch.StartNew();
        long Size() => new[] { database, database + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        while (Size() < bytes)
        {
            await seeder.SeedAsync(userId, 500, messagesPerChat: 10, padding: Padding, titlePrefix: "Backup");
            Console.Write($"\r  seeding chats: {Size() / Megabyte} of {bytes / Megabyte} MB");
        }
        Console.WriteLine($"\r  seeded {Size() / Megabyte} MB of chats in {clock.Elapsed.TotalSeconds:F0} s          ");
    }

    /// <summary>1 MB files of random bytes through the artifact keeper (file, sidecar, row), 64 to a chat (under the per-chat limit).</summary>
    private static async Task SeedFilesAsync(BenchmarkContext context, string userId, long bytes)
    {
        var keeper = context.Hearth.Services.GetRequiredService<ArtifactFileKeeper>();
        var chats = context.Hearth.Services.GetRequiredService<ChatStore>();
        var chatIds = await new ChatSeeder(chats).SeedAsync(userId, (int)(bytes / Megabyte / 64) + 1, messagesPerChat: 2, titlePrefix: "Files");
        var content = new byte[Megabyte];
        for (var i = 0; i < bytes / Megabyte; i++)
        {
            Random.Shared.NextBytes(content);
            var chat = await chats.GetAsync(chatIds[i / 64], CancellationToken.None)
                       ?? throw new BenchmarkFailure($"the seeded chat {chatIds[i / 64]} is gone");
            var stored = await keeper.StoreAsync(chat, null, $"data-{i}.bin", "application/octet-stream", new MemoryStream(content), CancellationToken.None);
            if (stored.Row is null)
            {
                throw new BenchmarkFailure($"storing seed file {i} failed: {stored.TooLarge ?? "unknown message"}");
            }
            if (i % 64 == 0)
            {
                Console.Write($"\r  seeding files: {i} MB of {bytes / Megabyte} MB");
            }
        }
        Console.WriteLine($"\r  seeded {bytes / Megabyte} files of 1 MB                 ");
    }

    /// <summary>GNU time, which reports a child's peak resident memory as the kernel counted it when the child ended.</summary>
    private const string GnuTime = "/usr/bin/time";

    private const string PeakMarker = "HEARTH_BENCH_PEAK_KB=";

    /// <summary>
    /// <c>backup --output</c> in its own process, and its peak resident memory: as GNU time reports it when the process
    /// ends (exact), or, without <c>/usr/bin/time</c> (Debian's <c>time</c> package), the kernel's high-water mark read
    /// every 20 ms while it runs (a peak in its last 20 ms could be missed).
    /// </summary>
    private static async Task<(double Seconds, long Bytes, long PeakKb)> BackupAsync(string dataDir, string archive)
    {
        File.Delete(archive);
        string[] backup = [HearthProcess.ServerDll(), "backup", "--output", archive];
        var timed = File.Exists(GnuTime);
        var start = timed
            ? new ProcessStartInfo(GnuTime, ["-f", PeakMarker + "%M", "dotnet", .. backup])
            : new ProcessStartInfo("dotnet", backup);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["DATA_DIR"] = dataDir;
        start.Environment["GLOBAL_LOG_LEVEL"] = "WARNING";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peakKb = 0;
        while (!timed && !process.HasExited)
        {
            peakKb = Math.Max(peakKb, ProcessMemory.PeakKb(process.Id));
            await Task.Delay(20);
        }
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new BenchmarkFailure($"backup exited with {process.ExitCode}:\n{await output}\n{await errors}");
        }
        if (timed)
        {
            var line = (await errors).Split('\n').LastOrDefault(l => l.StartsWith(PeakMarker, StringComparison.Ordinal))
                ?? throw new BenchmarkFailure($"{GnuTime} reported no peak memory:\n{await errors}");
            peakKb = long.Parse(line[PeakMarker.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return (clock.Elapsed.TotalSeconds, new FileInfo(archive).Length, peakKb);
    }

    /// <summary>The baseline: the same directory read and written as one tar file onto the same disk, with no snapshot and no checksums.</summary>
    private static async Task<(double Seconds, long Bytes)> TarAsync(string dataDir, string archive)
    {
        File.Delete(archive);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("tar", ["-cf", archive, "-C", dataDir, "."]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        // 1: a file changed while tar read it (Hearth serves meanwhile); anything else is a failure.
        if (process.ExitCode > 1)
        {
            throw new BenchmarkFailure($"tar exited with {process.ExitCode}: {await errors}");
        }
        return (clock.Elapsed.TotalSeconds, new FileInfo(archive).Length);
    }
}
