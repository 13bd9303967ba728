using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>
/// Runs the benchmark named by <c>--filter</c>, or those whose names contain it (all without it): each Hearth route against a
/// baseline doing the same work (or a named other design), measured in alternating rounds in the same run,
/// with ratios as medians of per-round ratios (the machines are shared and noisy, so only ratios measured
/// side by side mean anything). A failed request ends the run with exit code 1 and says which.
/// </summary>
internal static class BenchmarkMain
{
    private static readonly string[] Names =
    [
        "auth", "completions", "completions-many", "chats-event-webclient", "chats-list", "chats-search", "chats-export", "gallery", "artifacts",
        "migrate-db", "backup", "retention", "app",
    ];

    public static async Task<int> Main(string[] args)
    {
        var options = new BenchmarkOptions(
            Seconds: ArgValue(args, "--seconds", 5),
            Rounds: ArgValue(args, "--rounds", BenchmarkOptions.MinimumRounds),
            Concurrency: ArgValue(args, "--concurrency", 16),
            Scale: ArgDouble(args, "--scale", 1.0));
        var many = new ManyStreamsOptions(ArgValue(args, "--streams", 200), ArgValue(args, "--chunks", 500),
            TimeSpan.FromMilliseconds(ArgDouble(args, "--chunk-interval-ms", 10)), ArgString(args, "--database"));
        var filter = args.SkipWhile(a => a != "--filter").Skip(1).FirstOrDefault();
        if (options.Rounds < BenchmarkOptions.MinimumRounds)
        {
            Console.Error.WriteLine($"--rounds must be at least {BenchmarkOptions.MinimumRounds}: every ratio is a median of alternating rounds.");
            return 2;
        }
        // A whole name selects that benchmark alone (completions, not completions-many); a part selects every name holding it (chats).
        bool Selected(string name) => filter is null || (Names.Contains(filter, StringComparer.OrdinalIgnoreCase)
            ? name.Equals(filter, StringComparison.OrdinalIgnoreCase)
            : name.Contains(filter, StringComparison.OrdinalIgnoreCase));
        if (!Names.Any(Selected))
        {
            Console.Error.WriteLine($"No benchmark matches --filter {filter}. Names: {string.Join(", ", Names)}.");
            return 2;
        }

        var root = Directory.CreateTempSubdirectory("hearth-bench-").FullName;
        Console.WriteLine($"Hearth benchmarks: {options.Rounds} alternating rounds x {options.Seconds}s per side, " +
                          $"{options.Concurrency} concurrent clients, scale {options.Scale}, data in {root}");
        var report = new Report();
        try
        {
            await using var baseline = await BareBaseline.StartAsync(root);
            await using var model = await StreamingModelServer.StartAsync(chunks: 2000);
            using var hearth = HearthServer.Start(Path.Combine(root, "hearth"), new Dictionary<string, string>
            {
                ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
                // The web client saves a chat whole: a 100,000-message chat is a body of about 40 MB.
                ["MAX_REQUEST_BODY_SIZE"] = (1L << 30).ToString(CultureInfo.InvariantCulture),
            });
            // No cookie jar: signing up answers with a session cookie, which would then ride along on every request,
            // and Hearth (not the bare baseline) would verify it on routes that need no credentials. Each request
            // carries the credentials it names, as an API client's do.
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(10) };
            var context = new BenchmarkContext(hearth, baseline, http, report, options);

            if (Selected("auth"))
            {
                await AuthBenchmarks.CurrentUserWithApiKeyAsync(context);
            }
            if (Selected("completions"))
            {
                await CompletionBenchmarks.RunAsync(context, model, iterations: 20);
            }
            if (Selected("completions-many"))
            {
                await CompletionsManyBenchmark.RunAsync(context, many);
            }
            if (new[] { "chats-event-webclient", "chats-list", "chats-search", "chats-export" }.Any(Selected))
            {
                await ChatBenchmarks.RunAsync(context, Selected);
            }
            if (Selected("gallery"))
            {
                await GalleryBenchmarks.RunAsync(context);
            }
            if (Selected("artifacts"))
            {
                await ArtifactBenchmarks.RunAsync(context);
            }
            if (Selected("migrate-db"))
            {
                await MigrateDbBenchmark.RunAsync(context);
            }
            if (Selected("backup"))
            {
                await BackupBenchmark.RunAsync(context);
            }
            if (Selected("retention"))
            {
                await RetentionBenchmark.RunAsync(context);
            }
            if (Selected("app"))
            {
                await AppBenchmarks.RunAsync(context);
            }
            report.Print();
            return 0;
        }
        catch (Exception e)
        {
            report.Print();
            Console.Error.WriteLine();
            Console.Error.WriteLine($"Benchmark run FAILED: {(e is BenchmarkFailure ? e.Message : e.ToString())}");
            return 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static string? ArgString(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

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
