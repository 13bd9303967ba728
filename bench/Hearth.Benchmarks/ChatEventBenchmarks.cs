using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Hearth.Benchmarks;

/// <summary>
/// chats-event-webclient: <c>POST /api/v1/chats/{id}/messages/{mid}/event</c> with <c>{"type": "message"}</c>
/// (appending content, as a streaming tool or pipe does) into chats saved by the web client (both
/// <c>history</c> and the flat <c>messages</c> list) of 10, 20,000 and 100,000 messages, one request at a time.
/// Measured in alternating rounds against the same-work SQL (<see cref="BareChatRoutes"/>) and the blob
/// design (<see cref="BlobBaseline"/>) on the largest chat.
/// </summary>
internal static class ChatEventBenchmarks
{
    /// <summary>How many of a chat's newest messages each side appends to, in turn, so no one message grows long.</summary>
    private const int Targets = 50;

    public static async Task RunAsync(BenchmarkContext context, ChatSeeder seeder, Uri bare, string blobDb)
    {
        var sizes = new[] { 10, Math.Max((int)(20_000 * context.Options.Scale), 20), Math.Max((int)(100_000 * context.Options.Scale), 40) };
        var user = await context.Hearth.CreateUserAsync(context.Http, "event-bench");
        var chats = new Dictionary<int, (string Id, JsonObject Doc)>();
        foreach (var size in sizes)
        {
            var clock = Stopwatch.StartNew();
            var doc = seeder.Chat($"Web client chat of {size}", size);
            chats[size] = (await WebClientChats.CreateAsync(context.Http, context.Hearth.Address, user.Key, doc), doc);
            Console.WriteLine($"Saved a web-client chat of {size} messages ({doc.ToJsonString().Length / 1_048_576.0:F1} MB) in {clock.Elapsed.TotalSeconds:F1} s");
        }
        var (small, middle, large) = (sizes[0], sizes[1], sizes[2]);
        var blobId = Guid.NewGuid().ToString();
        await BlobBaseline.InsertAsync(blobDb, blobId, user.Id, chats[large].Doc);

        // Hearth appends to a chat's newest messages, the bare SQL to the ones before them, in the same chat.
        Side Hearth(int size) => Appending($"hearth {size}", context, size, 0,
            mid => new Uri(context.Hearth.Address, $"/api/v1/chats/{chats[size].Id}/messages/{mid}/event"), user.Key);
        Side Bare(int size) => Appending($"bare {size}", context, size, 1,
            mid => new Uri(bare, $"/bare/chats/{chats[size].Id}/messages/{mid}/event"), user.Key);
        var blob = Appending($"blob {large}", context, large, 0, mid => new Uri(bare, $"/blob/chats/{blobId}/messages/{mid}/event"), user.Key);

        Console.WriteLine("Message events into web-client chats, one at a time...");
        var one = context.WithConcurrency(1);
        var rounds = await one.MeasureAsync(Hearth(small), Hearth(middle), Hearth(large), Bare(small), Bare(large), blob);
        foreach (var size in new[] { small, large })
        {
            context.Report.Add($"message event, web-client chat of {size:N0} messages (vs same-work SQL)", "reported", rounds, $"hearth {size}", $"bare {size}");
        }
        var report = context.Report;
        var h = rounds.Median($"hearth {small}");
        foreach (var size in new[] { middle, large })
        {
            var cost = rounds.CostRatio($"hearth {size}", $"hearth {small}");
            report.Note($"message event, web-client chat: {size:N0} messages cost {cost:F2}x the {small}-message cost " +
                        $"(p50 {rounds.Median($"hearth {size}").P50Ms:F2} ms vs {h.P50Ms:F2} ms) {(size == large ? Report.AtMost(cost, 1.5) : "")}");
        }
        var blobCost = rounds.CostRatio($"blob {large}", $"hearth {large}");
        report.Note($"message event at {large:N0} messages: blob design p50 {rounds.Median($"blob {large}").P50Ms:F1} ms, " +
                    $"{blobCost.ToString("F0", CultureInfo.InvariantCulture)}x Hearth's cost {Report.AtLeast(blobCost, 100)}");
    }

    /// <summary>
    /// Sends <c>{"type": "message", "data": {"content": " tok"}}</c> to one message after another of a group of
    /// <see cref="Targets"/> near the end of the chat's branch (group 0 the newest, group 1 the ones before).
    /// </summary>
    private static Side Appending(string name, BenchmarkContext context, int size, int group, Func<string, Uri> uri, string key)
    {
        var count = Math.Min(Targets, size / 2);
        var ids = Enumerable.Range(size - count * (group + 1), count).Select(ChatSeeder.MessageId).ToArray();
        var next = 0;
        return new Side(name, Requests.Repeat(context.Http, () =>
            Requests.Post(uri(ids[next++ % ids.Length]), key, """{"type":"message","data":{"content":" tok"}}""")), 1);
    }
}
