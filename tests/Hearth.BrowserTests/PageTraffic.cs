using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

/// <summary>
/// The requests a page made and how each ended, kept so that a wait that times out can say what the page was
/// still waiting for (a wait for an address names only the address, which tells nothing about why it never came).
/// </summary>
public sealed class PageTraffic
{
    private static readonly ConditionalWeakTable<IPage, PageTraffic> Watched = new();

    /// <summary>Where requests that took over a second are written, when set (a survey of slow steps under load).</summary>
    private static readonly string? SlowLog = Environment.GetEnvironmentVariable("HEARTH_TEST_SLOW_REQUESTS");
    private static readonly Lock SlowLogLock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<IRequest, long> _open = new();
    private readonly ConcurrentQueue<string> _ended = new();
    private readonly ConcurrentDictionary<IRequest, int> _statuses = new();

    private PageTraffic(IPage page)
    {
        page.Request += (_, request) => _open[request] = _clock.ElapsedMilliseconds;
        page.Response += (_, response) => _statuses[response.Request] = response.Status;
        page.RequestFinished += (_, request) => End(request, _statuses.TryRemove(request, out var status) ? $"answered {status}" : "done");
        page.RequestFailed += (_, request) => End(request, "failed: " + request.Failure);
    }

    /// <summary>Starts keeping <paramref name="page"/>'s requests.</summary>
    public static void Watch(IPage page) => Watched.AddOrUpdate(page, new PageTraffic(page));

    /// <summary>What <paramref name="page"/> has open and what it last finished, or nothing when it is not watched.</summary>
    public static string Describe(IPage page) =>
        Watched.TryGetValue(page, out var traffic) ? traffic.Describe() : "(requests not watched)";

    private void End(IRequest request, string how)
    {
        var started = _open.TryRemove(request, out var at) ? at : -1;
        var line = $"{request.Method} {request.Url} {how} (+{started} ms → +{_clock.ElapsedMilliseconds} ms)";
        _ended.Enqueue(line);
        if (SlowLog is { } log && _clock.ElapsedMilliseconds - started > 1000)
        {
            lock (SlowLogLock)
            {
                File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
            }
        }
        while (_ended.Count > 20)
        {
            _ended.TryDequeue(out _);
        }
    }

    private string Describe()
    {
        var open = _open.Select(entry => $"{entry.Key.Method} {entry.Key.Url} open since +{entry.Value} ms");
        return $"now +{_clock.ElapsedMilliseconds} ms; open: [{string.Join("; ", open)}]; last ended: [{string.Join("; ", _ended)}]";
    }
}
