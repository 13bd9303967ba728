using System.Text.Json.Nodes;

namespace Hearth.Tests.Completions;

/// <summary>Reads a Server-Sent Events stream line by line, for tests that wait for one event.</summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>Opens the stream and waits until the server says the subscription is live.</summary>
    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string path)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        Assert.StartsWith(":", first);
        return new EventStreamReader(response, reader);
    }

    /// <summary>
    /// The next <c>data:</c> payload that satisfies <paramref name="match"/>, or null after the timeout. A read still
    /// waiting when the time is up is kept for the next call: cancelling it would end the response's stream.
    /// </summary>
    public async Task<JsonObject?> NextAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = Task.Delay(timeout);
        while (true)
        {
            _pending ??= _reader.ReadLineAsync();
            if (await Task.WhenAny(_pending, deadline) != _pending)
            {
                return null;
            }
            var line = await _pending;
            _pending = null;
            if (line is null)
            {
                return null;
            }
            if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is JsonObject data && match(data))
            {
                return data;
            }
        }
    }

    /// <summary>A line being read that a timed-out <see cref="NextAsync"/> left for the next call.</summary>
    private Task<string?>? _pending;

    /// <summary>True when the server ends the stream in time.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        if (_pending is { } pending)
        {
            // A line a timed-out wait left being read comes first.
            if (await Task.WhenAny(pending, Task.Delay(timeout)) != pending)
            {
                return false;
            }
            _pending = null;
            try
            {
                if (await pending is null)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return true;
            }
        }
        return await Hosting.ShutdownTests.EndsWithinAsync(_reader, timeout);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
