using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>Collects each pair's medians and ratios and the notes, and prints them as a table at the end.</summary>
internal sealed class Report
{
    private readonly List<(string Name, string Target, PairResult Result, int Rounds)> _rows = [];
    private readonly List<string> _notes = [];

    public PairResult Add(string name, string target, Rounds rounds, string hearth, string baseline)
    {
        var result = new PairResult(rounds.Median(hearth), rounds.Median(baseline), rounds.ThroughputRatio(hearth, baseline));
        _rows.Add((name, target, result, rounds.Count));
        var (h, b) = (result.Hearth, result.Baseline);
        Console.WriteLine($"  {name}: Hearth {h.RequestsPerSecond:F0} req/s, baseline {b.RequestsPerSecond:F0} req/s, " +
                          $"ratio {result.Ratio:F2} (median of {rounds.Count} rounds), p95 {h.P95Ms:F2} ms, p99 {h.P99Ms:F2} ms");
        return result;
    }

    /// <summary>A figure without its own baseline row (a ratio between two measurements, a memory peak, a contended counter), printed under the table.</summary>
    public void Note(string text)
    {
        _notes.Add(text);
        Console.WriteLine($"  {text}");
    }

    /// <summary>"(target &lt;= 1.5x: met)" or "... MISSED", for notes.</summary>
    public static string AtMost(double value, double limit, string unit = "x") =>
        $"(target <= {limit.ToString(CultureInfo.InvariantCulture)}{unit}: {(value <= limit ? "met" : "MISSED")})";

    public static string AtLeast(double value, double limit, string unit = "x") =>
        $"(target >= {limit.ToString(CultureInfo.InvariantCulture)}{unit}: {(value >= limit ? "met" : "MISSED")})";

    public void Print()
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        if (_rows.Count == 0 && _notes.Count == 0)
        {
            return;
        }
        Console.WriteLine($"{"Benchmark",-76} {"Hearth/s",10} {"Base/s",10} {"Ratio",7} {"H p50",8} {"H p99",8} {"B p99",8}  Target");
        foreach (var (name, target, result, _) in _rows)
        {
            var (h, b) = (result.Hearth, result.Baseline);
            Console.WriteLine(string.Format(c, "{0,-76} {1,10:F0} {2,10:F0} {3,7:F2} {4,8:F2} {5,8:F2} {6,8:F2}  {7}",
                name, h.RequestsPerSecond, b.RequestsPerSecond, result.Ratio, h.P50Ms, h.P99Ms, b.P99Ms, target));
        }
        if (_rows.Count > 0)
        {
            Console.WriteLine($"Ratio: median over {_rows[0].Rounds} alternating rounds of Hearth/baseline throughput within each round.");
        }
        foreach (var note in _notes)
        {
            Console.WriteLine(note);
        }
    }
}
