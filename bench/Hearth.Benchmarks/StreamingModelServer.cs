using System.Text;

namespace Hearth.Benchmarks;

/// <summary>A stand-in OpenAI-compatible server that streams a fixed number of chunks as fast as it can, flushing each.</summary>
internal sealed class StreamingModelServer : IAsyncDisposable
{
    public const int Chunks = 2000;
    private readonly WebApplication _app;

    private StreamingModelServer(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First());

    public static async Task<StreamingModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var chunks = Enumerable.Range(0, Chunks).Select(i => Encoding.UTF8.GetBytes(
            $$"""data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"content":"tok{{i}} "},"finish_reason":null}]}""" + "\n\n")).ToArray();
        app.MapGet("/v1/models", () => Results.Json(new { data = new[] { new { id = "bench" } } }));
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            await new StreamReader(http.Request.Body).ReadToEndAsync();
            http.Response.ContentType = "text/event-stream";
            foreach (var chunk in chunks)
            {
                await http.Response.Body.WriteAsync(chunk);
                await http.Response.Body.FlushAsync();
            }
            await http.Response.WriteAsync("data: [DONE]\n\n");
        });
        await app.StartAsync();
        return new StreamingModelServer(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
