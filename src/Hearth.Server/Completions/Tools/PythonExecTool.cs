using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// <c>python_exec</c>: runs Python in a fresh working directory, in its own process, with a time limit (the
/// process tree is killed), an address-space limit (<c>ulimit -v</c>), truncated output, and no network
/// (a network namespace of its own via <c>unshare</c>, where the system allows it). Every file the run
/// writes becomes an artifact; the directory is removed afterwards.
/// </summary>
internal sealed class PythonExecTool(IOptions<PythonExecOptions> options, ILogger<PythonExecTool> logger) : ITool
{
    private static readonly Lazy<string?> Isolation = new(FindIsolation);

    /// <summary>Hearth runs as root (as in a container): give the code the unprivileged user instead, where setpriv exists.</summary>
    private static readonly bool DropToNobody = !OperatingSystem.IsWindows() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv");

    public string Id => "python_exec";
    public string Description => "Run Python 3 code. Files the code writes to the current directory (charts, HTML, CSV, JSON) are saved for the user.";
    public JsonObject Parameters => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["code"] = new JsonObject { ["type"] = "string", ["description"] = "The Python program to run" } },
        ["required"] = new JsonArray("code"),
    };

    public async Task<ToolResult> RunAsync(JsonObject arguments, CancellationToken cancellationToken)
    {
        if (Chats.MessageTree.String(arguments["code"]) is not { } code)
        {
            return new ToolResult("The argument 'code' (a string) is required.", [], IsError: true);
        }
        var limits = options.Value;
        var directory = Directory.CreateTempSubdirectory("hearth-python-").FullName;
        try
        {
            var script = Path.Combine(directory, ".hearth_main.py");
            await File.WriteAllTextAsync(script, code, cancellationToken);
            var run = await RunProcessAsync(directory, script, limits, cancellationToken);
            var files = CollectFiles(directory, script, limits.MaxFileBytes);
            var text = new StringBuilder();
            text.Append(run.Output);
            if (run.Truncated)
            {
                text.Append($"\n[output truncated at {limits.OutputBytes} bytes]");
            }
            var error = run.TimedOut ? $"\n[killed: the run exceeded the time limit of {limits.Timeout.TotalSeconds:F0} s]"
                : run.ExitCode != 0 ? $"\n[exit code {run.ExitCode}]" : "";
            return new ToolResult(text.Append(error).ToString(), files, IsError: run.TimedOut || run.ExitCode != 0);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private sealed record Run(string Output, bool Truncated, bool TimedOut, int ExitCode);

    private async Task<Run> RunProcessAsync(string directory, string script, PythonExecOptions limits, CancellationToken cancellationToken)
    {
        var isolation = Isolation.Value is { } prefix ? prefix + " " : "";
        var user = "";
        if (DropToNobody && !OperatingSystem.IsWindows())
        {
            // Run as nobody, never as root: the code cannot read Hearth's data folder or the signing secret.
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            user = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
        }
        var command = $"ulimit -v {limits.MemoryBytes / 1024}; exec {isolation}{user}{limits.Python} -I -u {Quote(script)}";
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = directory;
        start.Environment["MPLBACKEND"] = "Agg";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new BoundedText(limits.OutputBytes);
        var readOut = Pump(process.StandardOutput, output);
        var readErr = Pump(process.StandardError, output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        await Task.WhenAll(readOut, readErr);
        return new Run(output.Text, output.Truncated, timedOut, process.ExitCode);
    }

    private static async Task Pump(StreamReader reader, BoundedText into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            into.Append(buffer.AsSpan(0, read));
        }
    }

    /// <summary>
    /// The regular files the run left behind. Links are skipped (the code could point one at a server file
    /// and have Hearth read it back), and so are empty entries, which covers named pipes that would block a read.
    /// </summary>
    private static List<ToolFile> CollectFiles(string directory, string script, long maxBytes) =>
        Directory.EnumerateFiles(directory, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = FileAttributes.ReparsePoint,
                IgnoreInaccessible = true,
            })
            .Where(f => f != script && !f.Contains("__pycache__", StringComparison.Ordinal))
            .Select(f => new FileInfo(f))
            .Where(f => f.LinkTarget is null && f.Length > 0 && f.Length <= maxBytes)
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => new ToolFile(Path.GetRelativePath(directory, f.FullName), File.ReadAllBytes(f.FullName)))
            .ToList();

    /// <summary>A network namespace of the run's own: <c>unshare -n</c> as root, <c>unshare -rn</c> otherwise, when the system permits.</summary>
    private static string? FindIsolation()
    {
        foreach (var candidate in new[] { "unshare -n", "unshare -rn" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"{candidate} true"]) { RedirectStandardError = true })!;
                probe.WaitForExit(5000);
                if (probe.HasExited && probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
        }
        return null;
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''") + "'";

    private void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not remove the python_exec directory {Directory}", directory);
        }
    }

    /// <summary>Keeps the first N characters of a run's output and notes that more came.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _text = new();
        public bool Truncated { get; private set; }
        public string Text { get { lock (_text) { return _text.ToString(); } } }

        public void Append(ReadOnlySpan<char> chunk)
        {
            lock (_text)
            {
                var room = limit - _text.Length;
                if (chunk.Length > room)
                {
                    Truncated = true;
                }
                if (room > 0)
                {
                    _text.Append(chunk[..Math.Min(room, chunk.Length)]);
                }
            }
        }
    }
}
