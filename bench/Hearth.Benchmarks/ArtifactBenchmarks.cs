using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Hearth.Benchmarks;

/// <summary>
/// Artifact storage: store and get throughput (personal scope, 1 KB values, many keys) against the bare
/// baseline's single-row upsert and primary-key select, and a contended counter (16 clients incrementing one
/// shared key with PATCH) that must lose no increment.
/// </summary>
internal static class ArtifactBenchmarks
{
    private const int KeyCount = 10_000;
    private const string Target = "Hearth >= 0.70 x baseline";

    /// <summary>A JSON object of exactly 1024 bytes: a small app's state (journal entries and a note).</summary>
    private static readonly string Value = OneKilobyte();

    private static string OneKilobyte()
    {
        var entries = string.Join(",", Enumerable.Range(0, 16).Select(i => $"{{\"date\":\"2024-03-{i + 1:D2}\",\"content\":\"entry {i:D2}\"}}"));
        var start = $"{{\"entries\":[{entries}],\"note\":\"";
        return start + new string('.', 1024 - start.Length - 2) + "\"}";
    }

    /// <summary>
    /// Clients are authenticated with an API key (<c>sk-...</c>), as a script like the seed's Python examples is;
    /// the bare baseline checks the same key with the same caching (<see cref="BareAuth"/>).
    /// </summary>
    public static async Task RunAsync(BenchmarkContext context)
    {
        var user = await context.Hearth.CreateUserAsync(context.Http, "bench-artifacts");
        await context.Baseline.AddUserAsync(user, "bench-artifacts");
        Console.WriteLine($"Artifact value: {Encoding.UTF8.GetByteCount(Value)} bytes; {KeyCount} keys per side");
        await FillAsync(context, user.Key);
        await FloorAsync(context);
        // Reads first, while the files are as the fill left them; then writes, then the contended counter.
        await GetAsync(context, user.Key);
        await StoreAsync(context, user.Key);
        await CounterAsync(context, user.Key);
    }

    private static string Key() => "key-" + Random.Shared.Next(KeyCount).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    private static string StoreBody(string key) => $$"""{"key":"{{key}}","scope":"personal","value":{{Value}}}""";

    /// <summary>Every key exists on both sides before the timed runs, so gets always hit and stores mostly update.</summary>
    private static async Task FillAsync(BenchmarkContext context, string key)
    {
        var batchUri = new Uri(context.Hearth.Address, "/api/artifacts/batch");
        for (var start = 0; start < KeyCount; start += 100)
        {
            var operations = Enumerable.Range(start, 100).Select(i =>
                $$"""{"op":"store","key":"key-{{i:D5}}","scope":"personal","value":{{Value}}}""");
            await Requests.SendAsync(context.Http, Requests.Post(batchUri, key, $"{{\"operations\":[{string.Join(",", operations)}]}}"));
        }
        var baselineUri = new Uri(context.Baseline.Address, "/artifacts/store");
        for (var i = 0; i < KeyCount; i++)
        {
            await Requests.SendAsync(context.Http, Requests.Post(baselineUri, key, StoreBody($"key-{i:D5}")));
        }
    }

    /// <summary>Hearth's store (validation, limits, usage counts, versions) against the bare app's parse and upsert.</summary>
    private static Task StoreAsync(BenchmarkContext context, string key)
    {
        var hearthUri = new Uri(context.Hearth.Address, "/api/artifacts/store");
        var baselineUri = new Uri(context.Baseline.Address, "/artifacts/store");
        return context.MeasurePairAsync("POST /api/artifacts/store (1 KB) vs upsert", Target,
            Requests.Repeat(context.Http, () => Requests.Post(hearthUri, key, StoreBody(Key()))),
            Requests.Repeat(context.Http, () => Requests.Post(baselineUri, key, StoreBody(Key()))));
    }

    /// <summary>
    /// Not a target: Hearth's cheapest route (no credentials, no database) against the bare app's constant JSON,
    /// the same work. It is the ceiling of any Hearth route's ratio, so it tells how much of the gap is the
    /// shared pipeline's.
    /// </summary>
    private static Task FloorAsync(BenchmarkContext context) =>
        context.MeasurePairAsync("GET /api/version (no auth, no DB) vs constant JSON", "reference: pipeline floor",
            Requests.Repeat(context.Http, () => Requests.Get(new Uri(context.Hearth.Address, "/api/version"))),
            Requests.Repeat(context.Http, () => Requests.Get(new Uri(context.Baseline.Address, "/version"))));

    private static async Task GetAsync(BenchmarkContext context, string key)
    {
        // Both sides answer the same document (the baseline's work includes writing it), or the ratio means nothing.
        var hearth = (await Requests.SendForJsonAsync(context.Http, Requests.Get(new Uri(context.Hearth.Address, "/api/artifacts/get?key=key-00000&scope=personal"), key))).AsObject();
        var bare = (await Requests.SendForJsonAsync(context.Http, Requests.Get(new Uri(context.Baseline.Address, "/artifacts/get?key=key-00000"), key))).AsObject();
        if (!hearth.Select(p => p.Key).SequenceEqual(bare.Select(p => p.Key)) || !JsonNode.DeepEquals(hearth["value"], bare["value"]))
        {
            throw new BenchmarkFailure($"The baseline's get answers {bare.ToJsonString()}, Hearth's {hearth.ToJsonString()}: not the same work.");
        }
        await context.MeasurePairAsync("GET /api/artifacts/get (1 KB) vs PK select", Target,
            Requests.Repeat(context.Http, () => Requests.Get(new Uri(context.Hearth.Address, $"/api/artifacts/get?key={Key()}&scope=personal"), key)),
            Requests.Repeat(context.Http, () => Requests.Get(new Uri(context.Baseline.Address, $"/artifacts/get?key={Key()}"), key)));
    }

    /// <summary>
    /// 16 clients add one to a shared counter with JSON Patch test+replace; a 409 carries the current count, from
    /// which the client tries again. Increments/s counts successes only; the final count must equal them.
    /// </summary>
    private static async Task CounterAsync(BenchmarkContext context, string key)
    {
        const int clients = 16;
        var uri = new Uri(context.Hearth.Address, "/api/artifacts/value?key=bench-counter&scope=shared");
        await Requests.SendAsync(context.Http, Requests.Post(new Uri(context.Hearth.Address, "/api/artifacts/store"), key,
            """{"key":"bench-counter","scope":"shared","value":{"count":0}}"""));
        var known = new long[clients];
        long increments = 0;
        long attempts = 0;

        async Task Increment(int worker)
        {
            while (true)
            {
                Interlocked.Increment(ref attempts);
                var patch = $$"""[{"op":"test","path":"/count","value":{{known[worker]}}},{"op":"replace","path":"/count","value":{{known[worker] + 1}}}]""";
                using var request = Requests.Post(uri, key, patch, "application/json-patch+json");
                request.Method = HttpMethod.Patch;
                using var response = await context.Http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    known[worker]++;
                    Interlocked.Increment(ref increments);
                    return;
                }
                if ((int)response.StatusCode != 409)
                {
                    await Requests.EnsureSuccessAsync(request, response);
                }
                var conflict = await response.Content.ReadFromJsonAsync<JsonObject>();
                known[worker] = conflict!["artifact"]!["value"]!["count"]!.GetValue<long>();
            }
        }

        var clock = Stopwatch.StartNew();
        var measured = await LoadDriver.RunAsync(Increment, clients, TimeSpan.FromSeconds(context.Options.Seconds * context.Options.Rounds));
        clock.Stop();
        var final = (await Requests.SendForJsonAsync(context.Http, Requests.Get(
            new Uri(context.Hearth.Address, "/api/artifacts/get?key=bench-counter&scope=shared"), key)))["value"]!["count"]!.GetValue<long>();
        var lost = increments - final;
        context.Report.Note(
            $"Contended counter, {clients} clients PATCHing one shared key: {measured.RequestsPerSecond:F0} increments/s " +
            $"(p50 {measured.P50Ms:F1} ms, p99 {measured.P99Ms:F1} ms), {attempts} attempts for {increments} increments, " +
            $"final count {final}: {(lost == 0 ? "none lost" : $"{lost} LOST")}");
        if (lost != 0)
        {
            throw new BenchmarkFailure($"The counter lost {lost} increments.");
        }
    }
}
