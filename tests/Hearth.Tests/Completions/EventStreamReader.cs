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

    /// <summary>The next <c>data:</c> payload that satisfies <paramref name="match"/>, or null after the timeout.</summary>
    public async Task<JsonObject?> NextAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is JsonObject data && match(data))
                {
                    return data;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    /// <summary>True when the server ends the stream in time.</summary>
    public Task<bool> EndsWithinAsync(TimeSpan timeout) => Hosting.ShutdownTests.EndsWithinAsync(_reader, timeout);

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
