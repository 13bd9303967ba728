namespace Hearth.Benchmarks;

internal sealed record BenchmarkOptions(int Seconds, int Rounds, int Concurrency, double Scale)
{
    /// <summary>Fewer rounds would let one noisy moment decide a ratio.</summary>
    public const int MinimumRounds = 3;
}

/// <summary>What every benchmark needs: the in-process Hearth, the bare app, one HTTP client, the report and the options.</summary>
internal sealed record BenchmarkContext(HearthServer Hearth, BareBaseline Baseline, HttpClient Http, Report Report, BenchmarkOptions Options)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Options.Seconds);

    /// <summary>The same context with <paramref name="concurrency"/> clients: 1 for latency targets, so queueing does not count.</summary>
    public BenchmarkContext WithConcurrency(int concurrency) => this with { Options = Options with { Concurrency = concurrency } };

    public Side Side(string name, Func<int, Task> request) => new(name, request, Options.Concurrency);

    public Task<Rounds> MeasureAsync(params Side[] sides) => Rounds.MeasureAsync(sides, Options.Rounds, Duration);

    /// <summary>Hearth against its baseline in alternating rounds; adds the row to the report.</summary>
    public async Task<PairResult> MeasurePairAsync(string name, string target, Func<int, Task> hearthRequest, Func<int, Task> baselineRequest)
    {
        var rounds = await MeasureAsync(Side("baseline", baselineRequest), Side("hearth", hearthRequest));
        return Report.Add(name, target, rounds, "hearth", "baseline");
    }
}

/// <summary>A pair's medians and the median of its per-round throughput ratios (Hearth / baseline).</summary>
internal sealed record PairResult(Measurement Hearth, Measurement Baseline, double Ratio);
