using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Hearth.Tests.Infrastructure;

namespace Hearth.Benchmarks;

/// <summary>How many streams, of how many chunks, at what pace.</summary>
/// <param name="Database">sqlite or postgres for one database only; null for both.</param>
internal sealed record ManyStreamsOptions(int Streams, int Chunks, TimeSpan Interval, string? Database = null)
{
    public bool On(string database) => Database is null || Database.Equals(database, StringComparison.OrdinalIgnoreCase);

    /// <summary>One stream's length at the model's pace (at least a second when the model streams flat out).</summary>
    public TimeSpan StreamLength => TimeSpan.FromTicks(Math.Max(Interval.Ticks * Chunks, TimeSpan.TicksPerSecond));
}

/// <summary>
/// completions-many: many live conversations at once. <c>Streams</c> people each stream a completion at a
/// time, saved into their own web-client chat (Hearth's save-into-chat mode: <c>chat_id</c>, <c>id</c> and
/// <c>parent_id</c> given, no <c>session_id</c>), against the same streams through the pure proxy (no
/// <c>chat_id</c>), in alternating rounds, on SQLite and on a throwaway PostgreSQL cluster. Hearth runs in its
/// own process so its resident memory is its own. Reports aggregate throughput, the p99 first byte each mode
/// adds, and Hearth's peak resident memory; checks afterwards that every chat holds its whole last reply.
/// </summary>
internal static class CompletionsManyBenchmark
{
    public static async Task RunAsync(BenchmarkContext context, ManyStreamsOptions options)
    {
        await using var model = await StreamingModelServer.StartAsync(options.Chunks, options.Interval);
        Console.WriteLine($"{options.Streams} concurrent completions of {options.Chunks} chunks, one every {options.Interval.TotalMilliseconds} ms...");
        if (options.On("sqlite"))
        {
            await RunOnAsync(context, options, model, "SQLite", new Dictionary<string, string>());
        }
        if (options.On("postgres"))
        {
            var postgres = await PostgresServer.CreateDatabaseAsync();
            await RunOnAsync(context, options, model, "PostgreSQL", new Dictionary<string, string> { ["DATABASE_URL"] = postgres });
        }
    }

    private static async Task RunOnAsync(BenchmarkContext context, ManyStreamsOptions options, StreamingModelServer model, string database,
        Dictionary<string, string> settings)
    {
        settings["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString();
        var dataDir = Path.GetFullPath(Path.Combine(context.Hearth.DataDir, "..", $"many-{database.ToLowerInvariant()}"));
        await using var hearth = await HearthProcess.StartAsync(dataDir, settings);
        var http = context.Http;
        // Many people, each with one live conversation: a user turn (m0), saved as the web client saves a chat
        // before it asks for the reply.
        var seeder = new ChatSeeder();
        var users = new BenchUser[options.Streams];
        var chats = new string[options.Streams];
        for (var i = 0; i < chats.Length; i++)
        {
            users[i] = await BenchUser.CreateAsync(http, hearth.Address, $"live-{i}");
            chats[i] = await WebClientChats.CreateAsync(http, hearth.Address, users[i].Key, seeder.Chat($"Live conversation {i}", 1));
        }
        // The first user is the admin: they publish the model to everyone, as an Open WebUI admin does before users can chat with it.
        await Requests.SendForJsonAsync(http, Requests.Post(new Uri(hearth.Address, "/api/v1/models/create"), users[0].Key,
            """{"id":"bench","name":"bench","access_grants":[{"principal_type":"user","principal_id":"*","permission":"read"}]}"""));
        var lastReply = new string[options.Streams];
        var streamCount = 0;
        const string prompt = """[{"role":"user","content":"Tell me a long story."}]""";
        HttpRequestMessage Proxied(int worker) => Requests.Post(new Uri(hearth.Address, "/api/chat/completions"), users[worker].Key,
            $$"""{"model":"bench","stream":true,"messages":{{prompt}}}""");
        HttpRequestMessage Saved(int worker)
        {
            // Each stream is a new reply (a regeneration) under the chat's user turn.
            lastReply[worker] = $"reply-{Interlocked.Increment(ref streamCount)}";
            return Requests.Post(new Uri(hearth.Address, "/api/chat/completions"), users[worker].Key,
                $$"""{"model":"bench","stream":true,"chat_id":"{{chats[worker]}}","id":"{{lastReply[worker]}}","parent_id":"{{ChatSeeder.MessageId(0)}}","messages":{{prompt}}}""");
        }

        var window = TimeSpan.FromTicks(Math.Max(context.Duration.Ticks, 2 * options.StreamLength.Ticks));
        var proxied = new List<StreamsRound>();
        var saved = new List<StreamsRound>();
        for (var round = 0; round < context.Options.Rounds; round++)
        {
            foreach (var saving in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var result = await ManyStreams.RunAsync(http, options.Streams, options.StreamLength, window, model.Chunks,
                    saving ? Saved : Proxied, hearth.Id);
                (saving ? saved : proxied).Add(result);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0} round {1}, {2}: {3:F0} chunks/s, first byte p50 {4:F1} ms p99 {5:F1} ms ({6} streams), resident {7:F0} MB, Hearth CPU {8:F0} ms per 1,000 chunks, machine {9:P0} busy",
                    database, round + 1, saving ? "saved into chats" : "pure proxy", result.ChunksPerSecond, result.FirstByteP50Ms, result.FirstByteP99Ms,
                    result.StreamsTimed, result.PeakResidentKb / 1024.0, result.HearthCpuMsPerThousandChunks, result.MachineBusy));
            }
        }
        await CheckRepliesAsync(http, hearth.Address, users, chats, lastReply, model.Content);

        var ratio = LoadDriver.Median(saved.Zip(proxied, (s, p) => s.ChunksPerSecond / p.ChunksPerSecond));
        var added = LoadDriver.Median(saved.Zip(proxied, (s, p) => s.FirstByteP99Ms - p.FirstByteP99Ms));
        var peakMb = Math.Max(saved.Max(r => r.PeakResidentKb), ProcessMemory.PeakKb(hearth.Id)) / 1024.0;
        var c = CultureInfo.InvariantCulture;
        var what = $"completions-many on {database}, {options.Streams} streams x {options.Chunks} chunks";
        context.Report.Note(string.Format(c, "{0}: pure proxy {1:F0} chunks/s, saved into chats {2:F0} chunks/s, {3:F2}x {4}", what,
            LoadDriver.Median(proxied.Select(r => r.ChunksPerSecond)), LoadDriver.Median(saved.Select(r => r.ChunksPerSecond)), ratio, Report.AtLeast(ratio, 0.9)));
        context.Report.Note(string.Format(c, "{0}: first byte p99 pure proxy {1:F1} ms, saved {2:F1} ms, added {3:F1} ms {4}", what,
            LoadDriver.Median(proxied.Select(r => r.FirstByteP99Ms)), LoadDriver.Median(saved.Select(r => r.FirstByteP99Ms)), added, Report.AtMost(added, 5, " ms")));
        context.Report.Note(string.Format(c, "{0}: peak resident memory of the Hearth process {1:F0} MB {2}", what, peakMb, Report.AtMost(peakMb, 400, " MB")));
    }

    /// <summary>Every chat's last reply must be saved whole and marked done (the last save may land just after the stream's end).</summary>
    private static async Task CheckRepliesAsync(HttpClient http, Uri hearth, BenchUser[] users, string[] chats, string[] replies, string content)
    {
        var deadline = Stopwatch.StartNew();
        for (var i = 0; i < chats.Length; i++)
        {
            while (true)
            {
                var chat = await Requests.SendForJsonAsync(http, Requests.Get(new Uri(hearth, $"/api/v1/chats/{chats[i]}"), users[i].Key));
                var reply = chat["chat"]?["history"]?["messages"]?[replies[i]] as JsonObject;
                if (reply?["done"]?.GetValue<bool>() == true && reply["content"]?.GetValue<string>() == content)
                {
                    break;
                }
                if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new BenchmarkFailure($"Chat {chats[i]}'s reply {replies[i]} was not saved whole: " +
                                               $"done {reply?["done"]}, {reply?["content"]?.ToString().Length ?? 0} of {content.Length} characters");
                }
                await Task.Delay(100);
            }
        }
    }
}
