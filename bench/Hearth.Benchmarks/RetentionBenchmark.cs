using System.Diagnostics;
using Dapper;
using Hearth.Server.Chats;
using Hearth.Server.Retention;
using Hearth.Server.Storage;

namespace Hearth.Benchmarks;

/// <summary>
/// retention: 1,000,000 chats at scale 1 (a prompt and a reply each, last updated in 2023) held by three users, and a
/// reader with chats of their own. Each round reads the reader's chats (one request at a time) for a while with no pass running (idle),
/// then gives one of the three users a rule that deletes chats not updated for 30 days and runs a pass while the
/// same reads go on. Reports the p99 of those reads during the pass against idle (median of the rounds' ratios) and
/// how fast the pass deleted. The pass is Hearth's own (the runner the background service and the admin API call).
/// </summary>
internal static class RetentionBenchmark
{
    private const int Rounds = 3;
    /// <summary>One reader, as for every latency target here: with more, the reads alone fill both cores and any other work is queueing.</summary>
    private const int Readers = 1;
    private const int TemplateChats = 5000;

    public static async Task RunAsync(BenchmarkContext context)
    {
        var total = (int)(1_000_000 * context.Options.Scale);
        var services = context.Hearth.Services;
        var seeder = new ChatSeeder(services.GetRequiredService<ChatStore>());
        var database = services.GetRequiredService<Database>();
        var multiplier = new ChatMultiplier(database);
        var reader = await context.Hearth.CreateUserAsync(context.Http, "retention-reader");
        var readable = await seeder.SeedAsync(reader.Id, 200, messagesPerChat: 10, titlePrefix: "Kept");
        var owners = new List<(string Id, int Chats)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            var owner = await context.Hearth.CreateUserAsync(context.Http, $"retention-{i}");
            var count = total / Rounds;
            // Up to 5,000 chats stored through Hearth's store, the rest copies of them (ChatMultiplier).
            var copies = (count + TemplateChats - 1) / TemplateChats;
            var template = count / copies;
            await seeder.SeedAsync(owner.Id, count - template * (copies - 1), messagesPerChat: 2, titlePrefix: "Old");
            var done = i * count;
            await multiplier.CopyAsync(owner.Id, template, copies - 1,
                copied => Console.Write($"\r  seeding {done + count - template * (copies - 1) + copied} of {count * Rounds} old chats"));
            owners.Add((owner.Id, count));
        }
        Console.WriteLine($"\r  seeded {owners.Sum(o => o.Chats)} old chats in {clock.Elapsed.TotalSeconds:F0} s          ");

        var settings = services.GetRequiredService<RetentionSettings>();
        var runner = services.GetRequiredService<RetentionRunner>();
        var read = Requests.Repeat(context.Http, () =>
            Requests.Get(new Uri(context.Hearth.Address, $"/api/v1/chats/{readable[Random.Shared.Next(readable.Count)]}"), reader.Key));
        var ratios = new List<double>();
        var rates = new List<double>();
        try
        {
            foreach (var (ownerId, chats) in owners)
            {
                var idle = await LoadDriver.RunAsync(read, Readers, context.Duration);
                await settings.UpdateAsync(new RetentionConfigForm(Users: new() { [ownerId] = new RetentionRuleForm(30, RetentionRule.Delete) }),
                    CancellationToken.None);
                var passClock = Stopwatch.StartNew();
                // A pass over 333,000 chats takes a quarter of an hour: the reads are measured over its first minutes,
                // which do the same work as the rest, and then it is stopped (between two batches, as a shutdown stops it).
                using var stop = new CancellationTokenSource(PassWindow(context));
                // Off this thread: SQLite's async calls complete synchronously, so the pass would run to its end right here.
                var pass = Task.Run(() => runner.RunAsync(stop.Token));
                var during = await LoadDriver.RunWhileAsync(read, Readers, pass);
                try
                {
                    _ = await pass ?? throw new BenchmarkFailure("a retention pass was already running");
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                passClock.Stop();
                var left = await CountAsync(database, ownerId);
                var deleted = chats - left;
                if (deleted <= 0 || (!stop.IsCancellationRequested && left != 0))
                {
                    throw new BenchmarkFailure($"the pass deleted {deleted} of the {chats} chats older than the rule and left {left}");
                }
                ratios.Add(during.P99Ms / idle.P99Ms);
                rates.Add(deleted / passClock.Elapsed.TotalSeconds);
                Console.WriteLine($"  pass deleted {deleted} of {chats} chats in {passClock.Elapsed.TotalSeconds:F1} s ({rates[^1]:F0} chats/s" +
                                  $"{(left > 0 ? ", then stopped" : "")}); reads p99 {during.P99Ms:F1} ms during it ({during.RequestsPerSecond:F0}/s), " +
                                  $"{idle.P99Ms:F1} ms idle ({idle.RequestsPerSecond:F0}/s)");
            }
        }
        finally
        {
            await settings.UpdateAsync(new RetentionConfigForm(Users: []), CancellationToken.None);
        }
        var ratio = LoadDriver.Median(ratios);
        context.Report.Note($"retention over {total} chats ({Rounds} passes over {total / Rounds}, delete, each measured for at most " +
                            $"{PassWindow(context).TotalSeconds:F0} s): chat reads p99 during a pass " +
                            $"{ratio:F2}x idle {Report.AtMost(ratio, 2)}; {LoadDriver.Median(rates):F0} chats deleted/s");
    }

    /// <summary>How long a pass runs while reads are measured: twelve times each side's window (a minute by default).</summary>
    private static TimeSpan PassWindow(BenchmarkContext context) => context.Duration * 12;

    private static async Task<long> CountAsync(Database database, string userId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chats WHERE user_id = @userId", new { userId });
    }
}
