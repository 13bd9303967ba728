using System.Text.Json.Nodes;

namespace Hearth.Tests.KeyValue;

/// <summary>A watch stream read as a client reads it: headers first, then <c>data:</c> lines as they come.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>Opens the stream and waits for its first comment, after which every change reaches it.</summary>
    public static async Task<EventStream> OpenAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/artifacts/watch?{query}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        Assert.Equal(": watching", await stream.ReadLineAsync());
        return stream;
    }

    /// <summary>The next event's JSON, skipping comments (heartbeats) and blank separators.</summary>
    public async Task<JsonObject> NextAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync();
            Assert.True(line is not null, "The watch stream ended.");
            if (line!.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonNode.Parse(line["data: ".Length..])!.AsObject();
            }
        }
    }

    /// <summary>
    /// The next event that is not one of the changes in <paramref name="before"/>, which were committed before the stream
    /// opened: on PostgreSQL one may still arrive, its notification having been on its way when the stream subscribed.
    /// </summary>
    public async Task<JsonObject> NextExceptAsync(params (string Key, long Version)[] before)
    {
        while (true)
        {
            var change = await NextAsync();
            if (!before.Contains((change["key"]!.GetValue<string>(), change["version"]!.GetValue<long>())))
            {
                return change;
            }
        }
    }

    /// <summary>Waits for the server to close the stream; fails on an event or when it stays open too long.</summary>
    public async Task AssertEndsAsync()
    {
        while (await ReadLineAsync() is { } line)
        {
            Assert.False(line.StartsWith("data: ", StringComparison.Ordinal), $"Expected the stream to end, got {line}");
        }
    }

    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
