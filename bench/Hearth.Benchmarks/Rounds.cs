namespace Hearth.Benchmarks;

/// <summary>One thing measured in a set of alternating rounds: a name, the request and how many clients send it.</summary>
internal sealed record Side(string Name, Func<int, Task> Request, int Concurrency);

/// <summary>
/// The measurements of several sides taken in alternating rounds (each round runs every side once, the
/// starting side moving on by one each round), so that drift in the shared machine's load reaches every side
/// alike. Every ratio is the median of the ratios within each round, never of figures from different moments.
/// </summary>
internal sealed class Rounds(IReadOnlyDictionary<string, List<Measurement>> runs)
{
    public int Count => runs.Values.First().Count;

    public IReadOnlyList<Measurement> this[string side] => runs[side];

    public static async Task<Rounds> MeasureAsync(IReadOnlyList<Side> sides, int rounds, TimeSpan duration)
    {
        var runs = sides.ToDictionary(s => s.Name, _ => new List<Measurement>());
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < sides.Count; i++)
            {
                var side = sides[(round + i) % sides.Count];
                runs[side.Name].Add(await LoadDriver.RunAsync(side.Request, side.Concurrency, duration));
            }
        }
        return new Rounds(runs);
    }

    /// <summary>Each figure's median over the rounds.</summary>
    public Measurement Median(string side)
    {
        var list = runs[side];
        return new Measurement(LoadDriver.Median(list.Select(m => m.RequestsPerSecond)), LoadDriver.Median(list.Select(m => m.P50Ms)),
            LoadDriver.Median(list.Select(m => m.P95Ms)), LoadDriver.Median(list.Select(m => m.P99Ms)), list.Sum(m => m.Requests));
    }

    /// <summary>The median over rounds of <paramref name="figure"/> of side <paramref name="a"/> divided by that of <paramref name="b"/> in the same round.</summary>
    public double Ratio(string a, string b, Func<Measurement, double> figure) =>
        LoadDriver.Median(runs[a].Zip(runs[b], (x, y) => figure(x) / figure(y)));

    /// <summary>How many times <paramref name="a"/>'s median latency is <paramref name="b"/>'s, round by round: a cost ratio.</summary>
    public double CostRatio(string a, string b) => Ratio(a, b, m => m.P50Ms);

    /// <summary>How many times <paramref name="a"/>'s throughput is <paramref name="b"/>'s, round by round.</summary>
    public double ThroughputRatio(string a, string b) => Ratio(a, b, m => m.RequestsPerSecond);
}
