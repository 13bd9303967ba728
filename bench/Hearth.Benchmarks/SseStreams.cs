using System.Diagnostics;
using System.Text;

namespace Hearth.Benchmarks;

/// <summary>When one streamed answer's first body byte came and when it ended (milliseconds from sending), and its chunk count.</summary>
internal sealed record StreamTiming(double FirstByteMs, double TotalMs, int Chunks)
{
    /// <summary>Chunks per second from the first byte on, so the first-byte delay is not counted twice.</summary>
    public double ChunksPerSecond => Chunks / ((TotalMs - FirstByteMs) / 1000);
}

/// <summary>Reads a Server-Sent Events answer to its end, timing it and checking it is whole.</summary>
internal static class SseStreams
{
    private const int TailBytes = 512;

    /// <summary>
    /// Sends <paramref name="request"/> and reads every event. The answer must be a 2xx with exactly
    /// <paramref name="expectedChunks"/> events before <c>data: [DONE]</c> and no error event; anything else
    /// is a <see cref="BenchmarkFailure"/>. <paramref name="onEvents"/> hears how many events each read brought.
    /// </summary>
    public static async Task<StreamTiming> ReadAsync(HttpClient http, HttpRequestMessage request, int expectedChunks, Action<int>? onEvents = null)
    {
        var clock = Stopwatch.StartNew();
        using (request)
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await Requests.EnsureSuccessAsync(request, response);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16 * 1024];
            var tail = new List<byte>(2 * TailBytes);
            var first = -1.0;
            var events = 0;
            byte previous = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                if (first < 0)
                {
                    first = clock.Elapsed.TotalMilliseconds;
                }
                var ended = 0;
                for (var i = 0; i < read; i++)
                {
                    // An event ends with a blank line.
                    if (buffer[i] == '\n' && previous == '\n')
                    {
                        ended++;
                    }
                    previous = buffer[i];
                }
                events += ended;
                onEvents?.Invoke(ended);
                tail.AddRange(buffer.AsSpan(Math.Max(0, read - TailBytes), Math.Min(read, TailBytes)));
                if (tail.Count > TailBytes)
                {
                    tail.RemoveRange(0, tail.Count - TailBytes);
                }
            }
            var end = Encoding.UTF8.GetString(tail.ToArray());
            if (events != expectedChunks + 1 || !end.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal) || end.Contains("\"error\":", StringComparison.Ordinal))
            {
                throw new BenchmarkFailure($"{Requests.Describe(request)} streamed {events - 1} chunks (expected {expectedChunks}), ending: {end[^Math.Min(end.Length, 200)..]}");
            }
            return new StreamTiming(first, clock.Elapsed.TotalMilliseconds, expectedChunks);
        }
    }
}
