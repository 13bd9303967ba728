using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// Proxy overhead: time to first byte and throughput of a 2,000-chunk stream through Hearth against the
/// same stream straight from the model server, in the same run; and the cost of saving the reply into a
/// 10,000-message chat while it streams.
/// </summary>
internal static class CompletionBenchmarks
{
    public static async Task RunAsync(BenchmarkContext context, StreamingModelServer model, int iterations)
    {
        var hearth = context.Hearth;
        var token = await hearth.SignUpAsync(context.Http, "completion-bench");
        using var me = new HttpRequestMessage(HttpMethod.Get, new Uri(hearth.Address, "/api/v1/auths/"));
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var userId = (await (await context.Http.SendAsync(me)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var chatId = (await new ChatSeeder(hearth.Services.GetRequiredService<ChatStore>()).SeedAsync(userId, 1, 10_000))[0];

        var body = """{"model":"bench","stream":true,"messages":[{"role":"user","content":"go"}]}""";
        var saving = $$"""{"model":"bench","stream":true,"chat_id":"{{chatId}}","id":"bench-reply","parent_id":"m9999","messages":[{"role":"user","content":"go"}]}""";
        HttpRequestMessage Direct() => new(HttpMethod.Post, new Uri(model.Address, "/v1/chat/completions")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        HttpRequestMessage Via(string json)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hearth.Address, "/api/chat/completions")) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        var direct = new List<(double, double)>();
        var proxied = new List<(double, double)>();
        var saved = new List<(double, double)>();
        for (var i = 0; i < iterations + 2; i++)
        {
            var d = await TimeStreamAsync(context.Http, Direct());
            var p = await TimeStreamAsync(context.Http, Via(body));
            var s = await TimeStreamAsync(context.Http, Via(saving));
            if (i >= 2)
            {
                direct.Add(d);
                proxied.Add(p);
                saved.Add(s);
            }
        }
        double Median(List<(double, double)> runs, Func<(double, double), double> pick) => runs.Select(pick).Order().ElementAt(runs.Count / 2);
        var ttfbDirect = Median(direct, r => r.Item1);
        var ttfbProxy = Median(proxied, r => r.Item1);
        var ttfbSaved = Median(saved, r => r.Item1);
        // Throughput is counted from the first byte on, so that it does not count the first-byte delay twice.
        var rate = (List<(double, double)> runs) => StreamingModelServer.Chunks / (Median(runs, r => r.Item2 - r.Item1) / 1000);
        context.Report.Note($"completion stream of {StreamingModelServer.Chunks} chunks ({iterations} runs, medians): first byte direct {ttfbDirect:F2} ms, " +
            $"via Hearth {ttfbProxy:F2} ms (+{ttfbProxy - ttfbDirect:F2} ms; target within 2 ms)");
        context.Report.Note($"completion stream throughput: direct {rate(direct):F0} chunks/s, via Hearth {rate(proxied):F0} chunks/s " +
            $"({rate(proxied) / rate(direct) * 100:F0}% of direct; target >= 90%)");
        context.Report.Note($"completion saved into a 10,000-message chat: first byte {ttfbSaved:F2} ms, {rate(saved):F0} chunks/s " +
            $"({rate(saved) / rate(direct) * 100:F0}% of direct)");
    }

    /// <returns>Milliseconds to the first body byte, and to the end of the stream.</returns>
    private static async Task<(double FirstByte, double Total)> TimeStreamAsync(HttpClient http, HttpRequestMessage request)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        var read = await stream.ReadAsync(buffer);
        var first = clock.Elapsed.TotalMilliseconds;
        while (read > 0)
        {
            read = await stream.ReadAsync(buffer);
        }
        return (first, clock.Elapsed.TotalMilliseconds);
    }
}
