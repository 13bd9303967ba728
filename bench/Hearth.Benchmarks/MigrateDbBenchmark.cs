using System.Diagnostics;
using Hearth.Server.Backups;
using Hearth.Server.Chats;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearth.Benchmarks;

/// <summary>
/// migrate-db: the benchmark Hearth's SQLite database (20,000 chats of ten messages at scale 1, in the web client's
/// shape, besides whatever the other benchmarks left) copied into a fresh database of the tests' throwaway
/// PostgreSQL cluster, while the Hearth serves. The figure is chats copied per second of the whole run (every table).
/// </summary>
internal static class MigrateDbBenchmark
{
    public static async Task RunAsync(BenchmarkContext context)
    {
        var chats = (int)(20_000 * context.Options.Scale);
        Console.WriteLine($"Seeding {chats} chats of ten messages for migrate-db...");
        var user = await context.Hearth.CreateUserAsync(context.Http, "migrate-bench");
        await new ChatSeeder(context.Hearth.Services.GetRequiredService<ChatStore>()).SeedAsync(user.Id, chats, messagesPerChat: 10);
        var target = await PostgresServer.CreateDatabaseAsync();
        var mover = context.Hearth.Services.GetRequiredService<DatabaseMover>();

        var ownCpu = ProcessCpu.ProcessSeconds(Environment.ProcessId);
        var machine = ProcessCpu.Machine();
        var clock = Stopwatch.StartNew();
        var tables = new TableTimes(clock);
        var outcome = await mover.MoveAsync(DatabaseUrl.Parse(target, "."), force: false, tables, CancellationToken.None);
        clock.Stop();
        var ownSeconds = ProcessCpu.ProcessSeconds(Environment.ProcessId) - ownCpu;
        var (busy, total) = ProcessCpu.Machine();
        var busySeconds = busy - machine.Busy;
        // Where the two cores went: Hearth (reading SQLite, shaping rows) against everything else (PostgreSQL, mostly).
        Console.WriteLine($"  CPU: Hearth {ownSeconds:F2} s, the rest of the machine {busySeconds - ownSeconds:F2} s, " +
                          $"machine {100 * busySeconds / (total - machine.Total):F0}% busy over {clock.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"  slowest tables: {string.Join(", ", tables.Slowest(4).Select(t => $"{t.Table} {t.Seconds:F2} s (indexes {t.IndexSeconds:F2} s)"))}");
        if (!outcome.Moved)
        {
            throw new BenchmarkFailure($"migrate-db did not complete: {string.Join(" ", outcome.Problems)}");
        }
        // What the copy left out, built as the Hearth that starts on the copy builds it while it serves.
        var building = Stopwatch.StartNew();
        await using (var copy = new Database(DatabaseUrl.Parse(target, ".")))
        {
            await new DeferredIndexBuilder(copy, NullLogger<DeferredIndexBuilder>.Instance, TimeProvider.System).BuildAllAsync(CancellationToken.None);
        }
        building.Stop();
        var copied = outcome.Counts.Single(c => c.Table == "chats").Target;
        var rows = outcome.Counts.Sum(c => c.Target);
        var perSecond = copied / clock.Elapsed.TotalSeconds;
        context.Report.Note($"migrate-db of {copied} chats ({rows} rows) into PostgreSQL in {clock.Elapsed.TotalSeconds:F1} s: " +
                            $"{perSecond:F0} chats/s {Report.AtLeast(perSecond, 5000, " chats/s")}; building indexes and keys took " +
                            $"{tables.IndexSeconds:F1} s of it (without them: {copied / (clock.Elapsed.TotalSeconds - tables.IndexSeconds):F0} chats/s); " +
                            $"then the search indexes ({string.Join(", ", outcome.Deferred)}) took Hearth {building.Elapsed.TotalSeconds:F1} s to build while serving");
    }
}

/// <summary>How long each table took to copy and, of that, to index (from the mover's progress, reported synchronously), to see where the time goes.</summary>
internal sealed class TableTimes(Stopwatch clock) : IProgress<MoveProgress>
{
    private readonly Dictionary<string, TimeSpan> _started = [];
    private readonly Dictionary<string, TimeSpan> _indexing = [];
    private readonly List<(string Table, double Seconds, double IndexSeconds)> _took = [];

    public void Report(MoveProgress value)
    {
        if (value.Stage == "copying" && value.Rows == 0)
        {
            _started[value.Table] = clock.Elapsed;
        }
        else if (value.Stage == "indexing")
        {
            _indexing[value.Table] = clock.Elapsed;
        }
        else if (value.Stage == "copied" && _started.TryGetValue(value.Table, out var start))
        {
            var indexSeconds = _indexing.TryGetValue(value.Table, out var indexing) ? (clock.Elapsed - indexing).TotalSeconds : 0;
            _took.Add((value.Table, (clock.Elapsed - start).TotalSeconds, indexSeconds));
        }
    }

    public IEnumerable<(string Table, double Seconds, double IndexSeconds)> Slowest(int count) => _took.OrderByDescending(t => t.Seconds).Take(count);

    /// <summary>The time every table spent building its indexes and keys after its rows were in.</summary>
    public double IndexSeconds => _took.Sum(t => t.IndexSeconds);
}
