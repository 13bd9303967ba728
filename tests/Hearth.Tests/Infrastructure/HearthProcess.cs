using System.Diagnostics;
using System.Text;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// Hearth as people run it: the built apphost as a process of its own, with settings in its environment, its
/// output read as it comes. For what only the real program shows: exit statuses, what it prints, its command line.
/// </summary>
internal sealed class HearthProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private Task _exited = Task.CompletedTask;
    private string? _ownDataDir;

    private HearthProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Where a Hearth started by <see cref="ServeAsync"/> answers.</summary>
    public Uri BaseAddress { get; private set; } = null!;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) { return _output.ToString(); } } }
    public string Errors { get { lock (_errors) { return _errors.ToString(); } } }

    /// <summary>Runs Hearth to its end (at most a minute) and answers its exit status and what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        await using var hearth = Start(settings, args);
        await hearth._exited.WaitAsync(TimeSpan.FromSeconds(60));
        return (hearth.ExitCode, hearth.Output, hearth.Errors);
    }

    /// <summary>Starts Hearth; dispose to stop it. Settings with a null value are removed from the inherited environment.</summary>
    public static HearthProcess Start(Dictionary<string, string?> settings, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Hearth.Server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in settings)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        var hearth = new HearthProcess(Process.Start(start)!);
        // Read as written, not by lines: a progress bar's carriage returns stay in the text.
        hearth._exited = Task.WhenAll(Pump(hearth._process.StandardOutput, hearth._output), Pump(hearth._process.StandardError, hearth._errors))
            .ContinueWith(_ => hearth._process.WaitForExitAsync(), TaskScheduler.Default).Unwrap();
        return hearth;
    }

    /// <summary>
    /// Starts Hearth serving on a free loopback port with a data folder of its own, and waits until it says it runs.
    /// With a test app's <see cref="HearthApp.DatabaseUrl"/> and the same <c>WEBUI_SECRET_KEY</c>, it is a second Hearth
    /// process on that database, as a team runs several: its own pool, caches and notification listener, its own runtime.
    /// </summary>
    public static async Task<HearthProcess> ServeAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = Ports.Free();
        var dataDir = Directory.CreateTempSubdirectory("hearth-process-").FullName;
        var merged = new Dictionary<string, string?>
        {
            ["DATA_DIR"] = dataDir,
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }
        var hearth = Start(merged);
        hearth._ownDataDir = dataDir;
        hearth.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        try
        {
            await hearth.WaitForOutputAsync("is running");
        }
        catch
        {
            await hearth.DisposeAsync();
            throw;
        }
        return hearth;
    }

    /// <summary>
    /// A client of a served Hearth, signed in with <paramref name="token"/> when given. The built program names no route
    /// in its answers (only test hosts do), so these answers are not held to the OpenAPI document.
    /// </summary>
    public HttpClient Client(string? token = null) => DocumentedAnswers.Client(BaseAddress, token);

    /// <summary>The lines the console logger wrote at Error or Critical (<c>fail:</c>, <c>crit:</c>) and what follows them.</summary>
    public string ErrorLines =>
        string.Join("\n", (Output + Errors).Split('\n').SkipWhile(l => !IsError(l)).Where(l => l.Length > 0));

    private static bool IsError(string line) => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal);

    /// <summary>Waits until standard output holds <paramref name="text"/> (failing after a minute, or when Hearth exits first).</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_exited.IsCompleted)
            {
                Assert.Fail($"Hearth exited ({ExitCode}) before printing '{text}': {Output}{Errors}");
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"Hearth did not print '{text}' within a minute: {Output}{Errors}");
            await Task.Delay(50);
        }
    }

    private static async Task Pump(StreamReader from, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited.IsCompleted)
        {
            _process.Kill(entireProcessTree: true);
        }
        try
        {
            await _exited.WaitAsync(TimeSpan.FromSeconds(30));
            _process.Dispose();
        }
        finally
        {
            if (_ownDataDir is not null)
            {
                Directory.Delete(_ownDataDir, recursive: true);
            }
        }
    }
}
