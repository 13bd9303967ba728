using System.Diagnostics;

namespace Hearth.Benchmarks;

/// <summary>What one timed run measured.</summary>
internal sealed record Measurement(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors)
{
    public double P95Ms { get; init; }
}

/// <summary>Closed-loop load: <c>concurrency</c> workers each send a request as soon as the last one answered.</summary>
internal static class LoadDriver
{
    public static async Task<Measurement> RunAsync(Func<int, Task> request, int concurrency, TimeSpan duration)
    {
        // Warm-up: JIT, connection pools and caches, outside the timed window.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Loop(request, w, TimeSpan.FromSeconds(1), null)));
        var latencies = new List<double>[concurrency];
        var errors = new long[concurrency];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            errors[worker] = await Loop(request, worker, duration, latencies[worker]);
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Measurement(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors.Sum()) { P95Ms = Percentile(all, 0.95) };
    }

    private static async Task<long> Loop(Func<int, Task> request, int worker, TimeSpan duration, List<double>? latencies)
    {
        long errors = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await request(worker);
            }
            catch (HttpRequestException)
            {
                errors++;
            }
            latencies?.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return errors;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
