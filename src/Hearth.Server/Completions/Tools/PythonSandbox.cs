using System.Diagnostics;
using System.Text;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// One process of <c>python_exec</c> and everything it starts, gone by the time the call returns. The run is a
/// session and process group of its own (<c>setsid</c>) and, where <c>unshare</c> is permitted, a network and PID
/// namespace of its own: there a shell waits for Python as the namespace's init, and when that init dies the kernel
/// kills whatever is left inside, even a daemon in a session of its own. On time-out, on cancellation and after a
/// normal exit alike the tree and the group are killed (<see cref="RunKiller"/>), and without a PID namespace also
/// every process of the run's own user (where runs have none, every process marked as the run's). The output is
/// never awaited past the deadline, so a leftover holding the pipes open cannot hold the call.
/// </summary>
internal static class PythonSandbox
{
    internal sealed record Run(string Output, bool Truncated, bool TimedOut, int ExitCode);

    /// <summary>The <c>unshare</c> that gives a run a network namespace of its own, and whether it can add a PID namespace.</summary>
    private sealed record Isolation(string Unshare, bool CanOwnPids);

    private static readonly Lazy<Isolation?> Namespaces = new(FindIsolation);

    /// <summary>Whether a run asking for a PID namespace gets one here (tests say why they skip, or that it is in effect).</summary>
    internal static bool CanOwnPids => Namespaces.Value is { CanOwnPids: true };

    /// <summary>Without setsid the run shares Hearth's process group, so only the tree can be killed.</summary>
    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>After a kill the pipes end at once; this is only the time to read what is still in them.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(1);

    /// <param name="user">Who the code runs as under a root Hearth (<see cref="RunUser"/>); null runs it as Hearth's user.</param>
    public static async Task<Run> RunAsync(string directory, string script, RunUser? user, PythonExecOptions limits, ILogger logger, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Setsid ?? "/bin/sh")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (Setsid is not null)
        {
            // setsid execs in place (the child of Hearth is never a group leader), so the pid is also the group id.
            start.ArgumentList.Add("/bin/sh");
        }
        start.ArgumentList.Add("-c");
        var isolation = Namespaces.Value;
        var ownPids = isolation is { CanOwnPids: true } && limits.PidNamespace;
        start.ArgumentList.Add(Command(script, user, limits, isolation, ownPids));
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        // Without a user of the run's own, also how RunKiller knows the run's processes: no other process starts with this HOME.
        start.Environment["HOME"] = directory;
        start.Environment["MPLBACKEND"] = "Agg";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var byUser = !ownPids && user is { OwnId: true };
        IReadOnlyCollection<string> pipes = ownPids || byUser || OperatingSystem.IsWindows() ? [] : RunKiller.PipesOf(process);
        // Both streams are drained to the end so the code never blocks on a full pipe; only the first part is kept.
        var output = new BoundedText(limits.OutputBytes);
        var reading = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.Timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
        }
        finally
        {
            // Also after a normal exit: a background child of the code must not keep running or writing.
            RunKiller.KillTreeAndGroup(process, ownGroup: Setsid is not null, logger);
            if (byUser)
            {
                RunKiller.KillUser(user!.Id, logger);
            }
            else if (!ownPids && !OperatingSystem.IsWindows())
            {
                RunKiller.KillLeftovers(directory, pipes, logger);
            }
        }
        var left = limits.Timeout - clock.Elapsed;
        try
        {
            await reading.WaitAsync((left > TimeSpan.Zero ? left : TimeSpan.Zero) + DrainTime, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A process that escaped the kill still holds a pipe: its reader is left behind, the call is not.
            logger.LogWarning("A python_exec process outlived its run and kept its output open");
            timedOut = true;
        }
        await process.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return new Run(output.Text, output.Truncated, timedOut, process.ExitCode);
    }

    /// <summary>
    /// <c>sh -c</c> for the run: the address-space limit, then the namespaces, the user (after unshare, which needs
    /// root), and Python. In a PID namespace a shell stays init and runs Python as its child (<c>; exit $?</c> stops
    /// it from exec-ing Python): Python as init would ignore signals it sends itself, and the shell, which the code
    /// cannot signal, keeps the namespace alive exactly as long as Python runs.
    /// </summary>
    private static string Command(string script, RunUser? user, PythonExecOptions limits, Isolation? isolation, bool ownPids)
    {
        var python = $"{user?.Setpriv}{limits.Python} -I -u {Quote(script)}";
        var isolated = isolation is null ? python
            : ownPids ? $"{isolation.Unshare} -p -f --kill-child /bin/sh -c {Quote(python + "; exit $?")}"
            : $"{isolation.Unshare} {python}";
        return $"ulimit -v {limits.MemoryBytes / 1024}; exec {isolated}";
    }

    private static async Task Pump(StreamReader reader, BoundedText into)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                into.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Left behind at the deadline and closed with the process: nothing more to keep.
        }
    }

    /// <summary>
    /// A network namespace of the run's own (<c>unshare -n</c> as root, <c>unshare -rn</c> otherwise) where the
    /// system permits it, and whether a PID namespace can come with it (<c>--kill-child</c>: if unshare dies, so does the namespace).
    /// </summary>
    private static Isolation? FindIsolation()
    {
        foreach (var unshare in new[] { "unshare -n", "unshare -rn" })
        {
            if (Works(unshare))
            {
                return new Isolation(unshare, CanOwnPids: Works($"{unshare} -p -f --kill-child"));
            }
        }
        return null;
    }

    private static bool Works(string prefix)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"{prefix} true"]) { RedirectStandardError = true })!;
            probe.WaitForExit(5000);
            return probe.HasExited && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>Keeps the first N characters of a run's output and notes that more came; the rest is read and dropped.</summary>
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
