using System.Diagnostics;
using Hearth.Server.Chats;
using Hearth.Server.Retention;

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

    public static async Task RunAsync(BenchmarkContext context)
    {
        var total = (int)(1_000_000 * context.Options.Scale);
        var services = context.Hearth.Services;
        var seeder = new ChatSeeder(services.GetRequiredService<ChatStore>());
        var reader = await context.Hearth.CreateUserAsync(context.Http, "retention-reader");
        var readable = await seeder.SeedAsync(reader.Id, 200, messagesPerChat: 10, titlePrefix: "Kept");
        var owners = new List<(string Id, int Chats)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            var owner = await context.Hearth.CreateUserAsync(context.Http, $"retention-{i}");
            var count = total / Rounds;
            for (var seeded = 0; seeded < count; seeded += 10_000)
            {
                await seeder.SeedAsync(owner.Id, Math.Min(10_000, count - seeded), messagesPerChat: 2, titlePrefix: "Old");
                Console.Write($"\r  seeding {i * count + seeded + Math.Min(10_000, count - seeded)} of {count * Rounds} old chats");
            }
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
                // Off this thread: SQLite's async calls complete synchronously, so the pass would run to its end right here.
                var pass = Task.Run(() => runner.RunAsync(CancellationToken.None));
                var during = await LoadDriver.RunWhileAsync(read, Readers, pass);
                var outcome = await pass ?? throw new BenchmarkFailure("a retention pass was already running");
                passClock.Stop();
                if (outcome.Deleted != chats)
                {
                    throw new BenchmarkFailure($"the pass deleted {outcome.Deleted} chats where {chats} were older than the rule");
                }
                ratios.Add(during.P99Ms / idle.P99Ms);
                rates.Add(chats / passClock.Elapsed.TotalSeconds);
                Console.WriteLine($"  pass deleted {chats} chats in {passClock.Elapsed.TotalSeconds:F1} s ({rates[^1]:F0} chats/s); reads p99 " +
                                  $"{during.P99Ms:F1} ms during it ({during.RequestsPerSecond:F0}/s), {idle.P99Ms:F1} ms idle ({idle.RequestsPerSecond:F0}/s)");
            }
        }
        finally
        {
            await settings.UpdateAsync(new RetentionConfigForm(Users: []), CancellationToken.None);
        }
        var ratio = LoadDriver.Median(ratios);
        context.Report.Note($"retention over {total} chats ({Rounds} passes of {total / Rounds}, delete): chat reads p99 during a pass " +
                            $"{ratio:F2}x idle {Report.AtMost(ratio, 2)}; {LoadDriver.Median(rates):F0} chats deleted/s");
    }
}
