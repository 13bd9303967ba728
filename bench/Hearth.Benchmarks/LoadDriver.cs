using System.Diagnostics;

namespace Hearth.Benchmarks;

/// <summary>What one timed run measured.</summary>
internal sealed record Measurement(double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, long Requests);

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send a request as soon as the last one answered. A request
/// that throws stops every worker and fails the run: a figure made partly of failures would mislead.
/// </summary>
internal static class LoadDriver
{
    public static async Task<Measurement> RunAsync(Func<int, Task> request, int concurrency, TimeSpan duration)
    {
        // Warm-up: JIT, connection pools and caches, outside the timed window.
        var warm = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        await RunWorkersAsync(request, concurrency, () => Stopwatch.GetTimestamp() < warm, null);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return await MeasureAsync(request, concurrency, () => Stopwatch.GetTimestamp() < end);
    }

    /// <summary>The same load, without a warm-up, for as long as <paramref name="work"/> runs (a background job's effect on serving).</summary>
    public static Task<Measurement> RunWhileAsync(Func<int, Task> request, int concurrency, Task work) =>
        MeasureAsync(request, concurrency, () => !work.IsCompleted);

    private static async Task<Measurement> MeasureAsync(Func<int, Task> request, int concurrency, Func<bool> goOn)
    {
        var latencies = Enumerable.Range(0, concurrency).Select(_ => new List<double>()).ToArray();
        var clock = Stopwatch.StartNew();
        await RunWorkersAsync(request, concurrency, goOn, latencies);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Measurement(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length);
    }

    private static async Task RunWorkersAsync(Func<int, Task> request, int concurrency, Func<bool> goOn, List<double>[]? latencies)
    {
        using var failed = new CancellationTokenSource();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (goOn() && !failed.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await request(worker);
                }
                catch
                {
                    failed.Cancel();
                    throw;
                }
                latencies?[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max((int)Math.Ceiling(p * sorted.Length) - 1, 0))];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
