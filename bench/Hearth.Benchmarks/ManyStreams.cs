using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hearth.Benchmarks;

/// <summary>What one round of many concurrent streams measured.</summary>
/// <param name="HearthCpuMsPerThousandChunks">Hearth's CPU time (user and system) over the window, per 1,000 chunks streamed.</param>
/// <param name="MachineBusy">The share of the machine's CPU time that was busy over the window (Hearth, the database, the benchmark).</param>
internal sealed record StreamsRound(double ChunksPerSecond, double FirstByteP50Ms, double FirstByteP99Ms, int StreamsTimed, long PeakResidentKb,
    double HearthCpuMsPerThousandChunks, double MachineBusy);

/// <summary>
/// Many streams at once, each worker starting its next stream when the last ended. Workers start spread over
/// <c>ramp</c> (one stream's length), so starts stay spread as they would be among real users; then, for
/// <c>window</c>, every chunk received counts toward throughput and every stream started has its first-byte
/// time kept. Hearth's resident memory is sampled throughout. A stream that fails or comes back incomplete
/// fails the run.
/// </summary>
internal static class ManyStreams
{
    public static async Task<StreamsRound> RunAsync(HttpClient http, int streams, TimeSpan ramp, TimeSpan window, int chunks,
        Func<int, HttpRequestMessage> build, int hearthPid)
    {
        var origin = Stopwatch.GetTimestamp();
        double Now() => Stopwatch.GetElapsedTime(origin).TotalSeconds;
        var (from, to) = (ramp.TotalSeconds, (ramp + window).TotalSeconds);
        long events = 0;
        var firstBytes = new ConcurrentBag<double>();
        using var finished = new CancellationTokenSource();
        long peakKb = 0;
        // Where the cores went over the window: Hearth's own time, and the machine's busy share.
        var cpu = Task.Run(async () =>
        {
            await Task.Delay(ramp);
            var (hearth, machine) = (ProcessCpu.ProcessSeconds(hearthPid), ProcessCpu.Machine());
            await Task.Delay(window);
            var (hearthAfter, machineAfter) = (ProcessCpu.ProcessSeconds(hearthPid), ProcessCpu.Machine());
            return (Hearth: hearthAfter - hearth, Busy: (machineAfter.Busy - machine.Busy) / (machineAfter.Total - machine.Total));
        });
        var sampler = Task.Run(async () =>
        {
            while (!finished.IsCancellationRequested)
            {
                peakKb = Math.Max(peakKb, ProcessMemory.ResidentKb(hearthPid));
                try
                {
                    await Task.Delay(100, finished.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        try
        {
            await Task.WhenAll(Enumerable.Range(0, streams).Select(async worker =>
            {
                await Task.Delay(ramp * worker / streams);
                while (Now() < to && !finished.IsCancellationRequested)
                {
                    var sent = Now();
                    StreamTiming timing;
                    try
                    {
                        timing = await SseStreams.ReadAsync(http, build(worker), chunks, n =>
                        {
                            if (Now() is var t && t >= from && t < to)
                            {
                                Interlocked.Add(ref events, n);
                            }
                        });
                    }
                    catch
                    {
                        finished.Cancel();
                        throw;
                    }
                    if (sent >= from && sent < to)
                    {
                        firstBytes.Add(timing.FirstByteMs);
                    }
                }
            }));
        }
        finally
        {
            finished.Cancel();
            await sampler;
        }
        var sorted = firstBytes.Order().ToArray();
        // Each stream's events are its chunks and one closing [DONE]: count chunks only.
        var chunksPerSecond = events * chunks / (double)(chunks + 1) / window.TotalSeconds;
        var used = await cpu;
        return new StreamsRound(chunksPerSecond, LoadDriver.Percentile(sorted, 0.5), LoadDriver.Percentile(sorted, 0.99), sorted.Length, peakKb,
            used.Hearth * 1000 / (chunksPerSecond * window.TotalSeconds / 1000), used.Busy);
    }
}
