using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>
/// completions: one stream at a time of <see cref="StreamingModelServer.Chunks"/> chunks, straight from the model
/// server, through Hearth's pure proxy, and saved into a 10,000-message web-client chat, alternating in each
/// iteration (each starting with the next side); each ratio is the median of the ratios within an iteration.
/// </summary>
internal static class CompletionBenchmarks
{
    public static async Task RunAsync(BenchmarkContext context, StreamingModelServer model, int iterations)
    {
        var hearth = context.Hearth;
        var user = await hearth.CreateUserAsync(context.Http, "completion-bench");
        var chatId = (await new ChatSeeder(hearth.Services.GetRequiredService<Hearth.Server.Chats.ChatStore>()).SeedAsync(user.Id, 1, 10_000))[0];

        var body = """{"model":"bench","stream":true,"messages":[{"role":"user","content":"go"}]}""";
        var saving = $$"""{"model":"bench","stream":true,"chat_id":"{{chatId}}","id":"bench-reply","parent_id":"{{ChatSeeder.MessageId(9_999)}}","messages":[{"role":"user","content":"go"}]}""";
        Task<StreamTiming> Direct() => SseStreams.ReadAsync(context.Http, Requests.Post(new Uri(model.Address, "/v1/chat/completions"), null, body), model.Chunks);
        Task<StreamTiming> Via(string json) => SseStreams.ReadAsync(context.Http, Requests.Post(new Uri(hearth.Address, "/api/chat/completions"), user.Key, json), model.Chunks);

        var runs = new List<(StreamTiming Direct, StreamTiming Proxied, StreamTiming Saved)>();
        Func<Task<StreamTiming>>[] sides = [Direct, () => Via(body), () => Via(saving)];
        for (var i = 0; i < iterations + 2; i++)
        {
            // Each iteration starts with the next side, so none always runs first (or last) on a machine that warms or tires.
            var timings = new StreamTiming[sides.Length];
            for (var k = 0; k < sides.Length; k++)
            {
                var side = (i + k) % sides.Length;
                timings[side] = await sides[side]();
            }
            // The first two warm up.
            if (i >= 2)
            {
                runs.Add((timings[0], timings[1], timings[2]));
            }
        }
        double Median(Func<(StreamTiming Direct, StreamTiming Proxied, StreamTiming Saved), double> figure) => LoadDriver.Median(runs.Select(figure));
        var c = CultureInfo.InvariantCulture;
        var added = Median(r => r.Proxied.FirstByteMs - r.Direct.FirstByteMs);
        var proxiedRate = Median(r => r.Proxied.ChunksPerSecond / r.Direct.ChunksPerSecond);
        var savedRate = Median(r => r.Saved.ChunksPerSecond / r.Direct.ChunksPerSecond);
        context.Report.Note(string.Format(c, "completion stream of {0} chunks ({1} alternating runs, medians): first byte direct {2:F2} ms, via Hearth {3:F2} ms, " +
            "added {4:F2} ms {5}", model.Chunks, iterations, Median(r => r.Direct.FirstByteMs), Median(r => r.Proxied.FirstByteMs), added, Report.AtMost(added, 2, " ms")));
        context.Report.Note(string.Format(c, "completion stream throughput: direct {0:F0} chunks/s, via Hearth {1:F0} chunks/s, {2:F2}x direct {3}",
            Median(r => r.Direct.ChunksPerSecond), Median(r => r.Proxied.ChunksPerSecond), proxiedRate, Report.AtLeast(proxiedRate, 0.9)));
        context.Report.Note(string.Format(c, "completion saved into a 10,000-message chat: first byte {0:F2} ms, {1:F0} chunks/s, {2:F2}x direct",
            Median(r => r.Saved.FirstByteMs), Median(r => r.Saved.ChunksPerSecond), savedRate));
    }
}
