using System.Diagnostics;
using System.Text;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// One process of <c>python_exec</c> and everything it starts, gone by the time the call returns. The run is a
/// session and process group of its own (<c>setsid</c>), in a control group of its own where Hearth may make one
/// (<see cref="RunCgroup"/>: memory and processes limited for the whole run), and, where <c>unshare</c> permits,
/// in mount, PID and network namespaces of its own (<see cref="RunNamespaces"/>: a root holding only what Python
/// needs). When that init dies the kernel kills whatever is left inside, even a daemon in a session of its own.
/// Where namespaces are not permitted, the old line of defence holds: a network namespace alone if permitted, and on
/// time-out, on cancellation and after a normal exit alike the tree and the group are killed
/// (<see cref="RunKiller"/>), with every process of the run's own user (where runs have none, every process marked as
/// the run's). The output is never awaited past the deadline, so a leftover holding the pipes open cannot hold the call.
/// </summary>
internal static class PythonSandbox
{
    internal sealed record Run(string Output, bool Truncated, bool TimedOut, bool OutOfMemory, int ExitCode);

    /// <summary>The <c>unshare</c> that gives a run a network namespace of its own, and whether it can add a PID namespace.</summary>
    private sealed record Isolation(string Unshare, bool CanOwnPids);

    private static readonly Lazy<Isolation?> Namespaces = new(FindIsolation);

    /// <summary>Whether a run asking for namespaces gets its own root, PID and network namespace here (tests say why they skip, or that it is in effect).</summary>
    internal static bool CanIsolate => RunNamespaces.Available;

    /// <summary>Without setsid the run shares Hearth's process group, so only the tree can be killed.</summary>
    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>After a kill the pipes end at once; this is only the time to read what is still in them.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(1);

    /// <param name="runFolder">The run's host folder (Hearth's alone): the isolated root is built in it.</param>
    /// <param name="directory">The working directory, inside <paramref name="runFolder"/>; the files the code leaves end up here.</param>
    /// <param name="user">Who the code runs as under a root Hearth (<see cref="RunUser"/>); null runs it as Hearth's user.</param>
    public static async Task<Run> RunAsync(string runFolder, string directory, string script, RunUser? user, PythonExecOptions limits, ILogger logger, CancellationToken cancellationToken)
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
        using var cgroup = RunCgroup.Create(limits.MemoryBytes, limits.Processes, logger);
        var isolated = limits.Namespaces ? RunNamespaces.Command(runFolder, directory, limits, user?.Id, Python(script, user, limits, isolated: true)) : null;
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Command(script, user, limits, cgroup, isolated));
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        // Without a user of the run's own, also how RunKiller knows the run's processes: no other process starts with this HOME.
        start.Environment["HOME"] = directory;
        start.Environment["MPLBACKEND"] = "Agg";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var inNamespace = isolated is not null || (Namespaces.Value is { CanOwnPids: true } && limits.Namespaces);
        var byUser = !inNamespace && user is { OwnId: true };
        IReadOnlyCollection<string> pipes = inNamespace || byUser || OperatingSystem.IsWindows() ? [] : RunKiller.PipesOf(process);
        // Both streams are drained to the end so the code never blocks on a full pipe; only the first part is kept.
        var output = new BoundedText(limits.OutputBytes);
        var reading = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Isolated, the init kills the code at the limit itself and then copies the files out: it gets a little longer.
        var allowed = limits.Timeout + (isolated is null ? TimeSpan.Zero : RunNamespaces.CopyOutTime);
        deadline.CancelAfter(allowed);
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
            else if (!inNamespace && !OperatingSystem.IsWindows())
            {
                RunKiller.KillLeftovers(directory, pipes, logger);
            }
        }
        var left = allowed - clock.Elapsed;
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
        // The init's own kill at the limit shows as SIGKILL's status; so does the memory limit's, but that comes early.
        timedOut |= isolated is not null && process.ExitCode == KilledStatus && clock.Elapsed >= limits.Timeout;
        var outOfMemory = cgroup?.OutOfMemory == true;
        return new Run(output.Text, output.Truncated, timedOut, outOfMemory, process.ExitCode);
    }

    private const int KilledStatus = 128 + 9;

    /// <summary>
    /// Python with the per-process limits (no core files, no file larger than Hearth reads back, and under a user of
    /// the run's own, a number of processes) as the run's user, or in a user namespace as a root without capabilities.
    /// </summary>
    private static string Python(string script, RunUser? user, PythonExecOptions limits, bool isolated)
    {
        var processes = user is { OwnId: true } ? $" --nproc={limits.Processes}" : "";
        var who = user?.Setpriv ?? (isolated ? "setpriv --no-new-privs --inh-caps=-all --bounding-set=-all " : "");
        return $"prlimit --core=0 --fsize={limits.MaxFileBytes}{processes} -- {who}{limits.Python} -I -u {Quote(script)}";
    }

    /// <summary>
    /// <c>sh -c</c> for the run: joining the run's control group, the address-space limit, then the namespaces, the user
    /// (after unshare, which needs root), and Python. Isolated, <see cref="RunNamespaces"/> builds the rest. Otherwise,
    /// in a PID namespace a shell stays init and runs Python as its child (<c>; exit $?</c> stops it from exec-ing
    /// Python): Python as init would ignore signals it sends itself, and the shell, which the code cannot signal, keeps
    /// the namespace alive exactly as long as Python runs.
    /// </summary>
    private static string Command(string script, RunUser? user, PythonExecOptions limits, RunCgroup? cgroup, string? isolated)
    {
        var join = string.Concat((cgroup?.ProcsFiles ?? []).Select(file => $"echo $$ > {Quote(file)} || exit 125; "));
        var prefix = $"{join}ulimit -v {limits.MemoryBytes / 1024}; ";
        if (isolated is not null)
        {
            return prefix + isolated;
        }
        var python = Python(script, user, limits, isolated: false);
        var isolation = Namespaces.Value;
        var command = isolation is null ? python
            : isolation.CanOwnPids && limits.Namespaces ? $"{isolation.Unshare} -p -f --kill-child /bin/sh -c {Quote(python + "; exit $?")}"
            : $"{isolation.Unshare} {python}";
        return $"{prefix}exec {command}";
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

    private static bool Works(string prefix) => RunNamespaces.RunQuietly("/bin/sh", "-c", $"{prefix} true") is not null;

    private static string Quote(string text) => RunNamespaces.Quote(text);

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
