using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hearth.Benchmarks;

/// <summary>
/// The Release Hearth server in a process of its own (<c>dotnet Hearth.Server.dll</c>), configured by its
/// environment as a deployment is, so its memory can be read apart from the benchmark's.
/// </summary>
internal sealed class HearthProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private HearthProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }
    public int Id => _process.Id;

    public static async Task<HearthProcess> StartAsync(string dataDir, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [ServerDll()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DATA_DIR"] = dataDir;
        start.Environment["ENABLE_SIGNUP"] = "true";
        start.Environment["DEFAULT_USER_ROLE"] = "user";
        start.Environment["GLOBAL_LOG_LEVEL"] = "WARNING";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var hearth = new HearthProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        hearth._process.OutputDataReceived += (_, e) => hearth.Keep(e.Data);
        hearth._process.ErrorDataReceived += (_, e) => hearth.Keep(e.Data);
        hearth._process.BeginOutputReadLine();
        hearth._process.BeginErrorReadLine();
        await hearth.WaitUntilHealthyAsync();
        return hearth;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > 40)
            {
                _log.Dequeue();
            }
        }
    }

    public string RecentLog()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new BenchmarkFailure($"Hearth exited with {_process.ExitCode} while starting:\n{RecentLog()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new BenchmarkFailure($"Hearth did not answer /health within 60 s:\n{RecentLog()}");
    }

    /// <summary>The Release (or Debug) Hearth.Server.dll built next to the benchmark's own build.</summary>
    public static string ServerDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hearth.slnx")))
        {
            directory = directory.Parent;
        }
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(directory!.FullName, "src", "Hearth.Server", "bin", configuration, "net10.0", "Hearth.Server.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
