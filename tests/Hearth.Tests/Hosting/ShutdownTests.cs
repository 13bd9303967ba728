using System.Diagnostics;
using System.Net.Http.Json;
using Hearth.Tests.Completions;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// A stopping Hearth ends its open streams at once: a browser tab's event stream, an app's watch and a proxied
/// completion would otherwise hold the stop for the host's whole shutdown timeout (30 seconds).
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task OpenStreamsEndAsSoonAsTheServerStops()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        // The model sends its first chunk and then holds the rest: the proxied stream is open when the server stops.
        var held = new SemaphoreSlim(1);
        model.Enqueue(new Script(["first", " never sent"], ChunkGate: held));
        var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
        });
        var ada = await app.SignUpAsync("Ada");
        await using var events = await EventStreamReader.OpenAsync(ada.Client, "/api/events");
        await using var watch = await EventStreamReader.OpenAsync(ada.Client, "/api/artifacts/watch?scope=personal");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/completions")
        {
            Content = JsonContent.Create(new { model = "gpt-test", stream = true, messages = new[] { new { role = "user", content = "Hi" } } }),
        };
        using var completion = await ada.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reply = new StreamReader(await completion.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reply.ReadLineAsync());

        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"The server took {stopping.Elapsed} to stop.");
        Assert.True(await events.EndsWithinAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await watch.EndsWithinAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await EndsWithinAsync(reply, TimeSpan.FromSeconds(5)));
    }

    /// <summary>True when the stream ends (or breaks off) in time; false while it stays open.</summary>
    internal static async Task<bool> EndsWithinAsync(StreamReader reader, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is not null)
            {
            }
            return true;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
