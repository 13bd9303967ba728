using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>Collects each pair's rounds and prints medians and the Hearth/baseline ratios.</summary>
internal sealed class Report
{
    private readonly List<(string Name, string Target, Measurement Hearth, Measurement Baseline)> _rows = [];

    public (Measurement Hearth, Measurement Baseline) Add(string name, string target, IReadOnlyList<Measurement> hearth, IReadOnlyList<Measurement> baseline)
    {
        _rows.Add((name, target, Median(hearth), Median(baseline)));
        var h = _rows[^1].Hearth;
        var b = _rows[^1].Baseline;
        Console.WriteLine($"  {name}: Hearth {h.RequestsPerSecond:F0} req/s, baseline {b.RequestsPerSecond:F0} req/s, ratio {h.RequestsPerSecond / b.RequestsPerSecond:F2}, " +
                          $"p95 {h.P95Ms:F2} ms, p99 {h.P99Ms:F2} ms");
        return (h, b);
    }

    private readonly List<string> _notes = [];

    /// <summary>A figure without its own baseline row (a ratio between two measurements, a memory peak, a contended counter), printed under the table.</summary>
    public void Note(string text)
    {
        _notes.Add(text);
        Console.WriteLine($"  {text}");
    }

    private static Measurement Median(IReadOnlyList<Measurement> runs)
    {
        var ordered = runs.OrderBy(r => r.RequestsPerSecond).ToList();
        return ordered[ordered.Count / 2];
    }

    public void Print()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"{"Benchmark",-48} {"Hearth/s",10} {"Base/s",10} {"Ratio",7} {"H p50",8} {"H p99",8} {"B p99",8}  Target");
        foreach (var (name, target, h, b) in _rows)
        {
            Console.WriteLine(string.Format(c, "{0,-48} {1,10:F0} {2,10:F0} {3,7:F2} {4,8:F2} {5,8:F2} {6,8:F2}  {7}",
                name, h.RequestsPerSecond, b.RequestsPerSecond, h.RequestsPerSecond / b.RequestsPerSecond,
                h.P50Ms, h.P99Ms, b.P99Ms, target));
            if (h.Errors + b.Errors > 0)
            {
                Console.WriteLine($"  ! errors: Hearth {h.Errors}, baseline {b.Errors}");
            }
        }
        foreach (var note in _notes)
        {
            Console.WriteLine(note);
        }
    }
}
