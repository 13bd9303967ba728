using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>
/// Runs every benchmark pair: the Hearth route and the bare baseline doing the same database work, measured
/// alternately in the same run, and prints Hearth/baseline ratios (the machines are shared and noisy, so
/// only ratios measured side by side mean anything).
/// </summary>
internal static class BenchmarkMain
{
    public static async Task Main(string[] args)
    {
        var options = new BenchmarkOptions(
            Seconds: ArgValue(args, "--seconds", 5),
            Rounds: ArgValue(args, "--rounds", 3),
            Concurrency: ArgValue(args, "--concurrency", 16));
        var filter = args.SkipWhile(a => a != "--filter").Skip(1).FirstOrDefault();

        var root = Directory.CreateTempSubdirectory("hearth-bench-").FullName;
        Console.WriteLine($"Hearth benchmarks: {options.Rounds} rounds x {options.Seconds}s per side, " +
                          $"{options.Concurrency} concurrent clients, data in {root}");
        var report = new Report();
        try
        {
            await using var baseline = await BareBaseline.StartAsync(root);
            await using var model = await StreamingModelServer.StartAsync();
            using var hearth = HearthServer.Start(Path.Combine(root, "hearth"),
                new Dictionary<string, string> { ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString() });
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 });
            var context = new BenchmarkContext(hearth, baseline, http, report, options);

            if (Selected(filter, "auth"))
            {
                await AuthBenchmarks.CurrentUserWithApiKeyAsync(context);
            }
            if (Selected(filter, "completions"))
            {
                await CompletionBenchmarks.RunAsync(context, model, iterations: 20);
            }
            if (Selected(filter, "chats-upsert chats-list chats-search chats-export"))
            {
                await ChatBenchmarks.RunAsync(context, ArgDouble(args, "--scale", 1.0), filter);
            }
            if (Selected(filter, "gallery"))
            {
                await GalleryBenchmarks.RunAsync(context, ArgDouble(args, "--scale", 1.0));
            }
            if (Selected(filter, "artifacts"))
            {
                await ArtifactBenchmarks.RunAsync(context);
            }
        }
        finally
        {
            report.Print();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static bool Selected(string? filter, string name) =>
        filter is null || name.Contains(filter, StringComparison.OrdinalIgnoreCase);

    private static double ArgDouble(string[] args, string name, double fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}

internal sealed record BenchmarkOptions(int Seconds, int Rounds, int Concurrency);

internal sealed record BenchmarkContext(HearthServer Hearth, BareBaseline Baseline, HttpClient Http, Report Report, BenchmarkOptions Options)
{
    /// <summary>Alternates baseline and Hearth runs so that drift in machine load hits both sides alike.</summary>
    public async Task<(Measurement Hearth, Measurement Baseline)> MeasurePairAsync(string name, string target,
        Func<int, Task> hearthRequest, Func<int, Task> baselineRequest)
    {
        var hearthRuns = new List<Measurement>();
        var baselineRuns = new List<Measurement>();
        var duration = TimeSpan.FromSeconds(Options.Seconds);
        for (var round = 0; round < Options.Rounds; round++)
        {
            baselineRuns.Add(await LoadDriver.RunAsync(baselineRequest, Options.Concurrency, duration));
            hearthRuns.Add(await LoadDriver.RunAsync(hearthRequest, Options.Concurrency, duration));
        }
        return Report.Add(name, target, hearthRuns, baselineRuns);
    }
}
