using System.Diagnostics;
using System.Text;

namespace Hearth.Benchmarks;

/// <summary>
/// A stand-in OpenAI-compatible server that streams a fixed number of chunks, flushing each: as fast as it can,
/// or one every <c>interval</c> like a real model (chunk i is due at start + i x interval, so a late timer does
/// not slow the rest of the stream).
/// </summary>
internal sealed class StreamingModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StreamingModelServer(WebApplication app, int chunks, TimeSpan interval)
    {
        _app = app;
        Chunks = chunks;
        Interval = interval;
    }

    public Uri Address => BareSqlApp.AddressOf(_app);
    public int Chunks { get; }
    public TimeSpan Interval { get; }

    /// <summary>The content the chunks carry, joined: what a saved reply must hold.</summary>
    public string Content => string.Concat(Enumerable.Range(0, Chunks).Select(Token));

    private static string Token(int i) => $"tok{i} ";

    public static async Task<StreamingModelServer> StartAsync(int chunks, TimeSpan interval = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var payloads = Enumerable.Range(0, chunks).Select(i => Encoding.UTF8.GetBytes(
            $$"""data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"content":"{{Token(i)}}"},"finish_reason":null}]}""" + "\n\n")).ToArray();
        app.MapGet("/v1/models", () => Results.Json(new { data = new[] { new { id = "bench" } } }));
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            await new StreamReader(http.Request.Body).ReadToEndAsync();
            http.Response.ContentType = "text/event-stream";
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < payloads.Length; i++)
            {
                var wait = interval * i - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                await http.Response.Body.WriteAsync(payloads[i]);
                await http.Response.Body.FlushAsync();
            }
            await http.Response.WriteAsync("data: [DONE]\n\n");
        });
        await app.StartAsync();
        return new StreamingModelServer(app, chunks, interval);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
