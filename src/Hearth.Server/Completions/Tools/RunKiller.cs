using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// Ends every process of a <c>python_exec</c> run. Without a PID namespace, the tree and the process group miss a
/// daemon of the code (forked, in a session of its own, its parent gone). Under a root Hearth each run has a user of
/// its own (<see cref="RunUser"/>) that no set-uid program can change, so <see cref="KillUser"/> finds every process
/// of the run by its uid, and nothing else: that makes the marks below redundant there, and they are not searched.
/// Otherwise (Hearth not root, or every run <c>nobody</c>) <see cref="KillLeftovers"/> looks for such a daemon by
/// what it inherited from the run and no other process has: the working directory, the output pipes, and
/// <c>HOME</c> (the run's directory) in the environment it started with. Only a daemon that drops all three
/// (a new environment takes an exec) is beyond it, and that is what the PID namespace is for.
/// </summary>
internal static class RunKiller
{
    private const int SigKill = 9;
    private const int NoSuchProcess = 3;

    /// <summary>
    /// The tree first, while it still hangs together (a child that left the group is still found under its parent),
    /// then the group, which holds the children whose parents have already died.
    /// </summary>
    public static void KillTreeAndGroup(Process process, bool ownGroup, ILogger logger)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or AggregateException or System.ComponentModel.Win32Exception)
        {
            logger.LogDebug(e, "Killing the python_exec process tree failed");
        }
        // No process left in the group (the usual case after a normal exit) is ESRCH, not a failure.
        if (ownGroup && Kill(-process.Id, SigKill) != 0 && Marshal.GetLastPInvokeError() is var error && error != NoSuchProcess)
        {
            logger.LogWarning("Killing the python_exec process group {Group} failed with errno {Error}", process.Id, error);
        }
    }

    /// <summary>The run's output pipes as <c>/proc/*/fd</c> shows them (<c>pipe:[inode]</c>), read from Hearth's own ends.</summary>
    public static List<string> PipesOf(Process process)
    {
        var pipes = new List<string>();
        foreach (var stream in new[] { process.StandardOutput.BaseStream, process.StandardError.BaseStream })
        {
            if (stream is PipeStream pipe && new FileInfo($"/proc/self/fd/{pipe.SafePipeHandle.DangerousGetHandle()}").LinkTarget is { } name)
            {
                pipes.Add(name);
            }
        }
        return pipes;
    }

    /// <summary>
    /// Kills every other process working in the run's directory, started with it as HOME, or holding one of its
    /// pipes.
    /// </summary>
    public static void KillLeftovers(string directory, IReadOnlyCollection<string> pipes, ILogger logger) =>
        KillAll(entry => IsOfTheRun(entry, directory, pipes), logger);

    /// <summary>Kills every process with the run's own uid as its real, effective, saved or file-system id.</summary>
    public static void KillUser(int uid, ILogger logger) => KillAll(entry => HasUser(entry, uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), logger);

    /// <summary>A leftover may fork while it is looked for; the child has the same marks, so the search repeats until it finds nothing.</summary>
    private static void KillAll(Func<string, bool> isOfTheRun, ILogger logger)
    {
        for (var round = 0; round < 10; round++)
        {
            var found = Find(isOfTheRun);
            if (found.Count == 0)
            {
                return;
            }
            logger.LogInformation("Killing {Count} python_exec processes that outlived their run", found.Count);
            foreach (var pid in found)
            {
                // A process that ended meanwhile makes kill fail, which is the outcome wanted anyway.
                _ = Kill(pid, SigKill);
            }
        }
    }

    private static List<int> Find(Func<string, bool> isOfTheRun)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var pid) && pid != Environment.ProcessId && isOfTheRun(entry))
            {
                found.Add(pid);
            }
        }
        return found;
    }

    /// <summary>From <c>/proc/N/status</c>: <c>Uid:</c> real, effective, saved, file-system. A zombie is dead already and would be found forever.</summary>
    private static bool HasUser(string entry, string uid)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(entry, "status"));
            string[] Field(string name) =>
                lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries) ?? [];
            return Field("State:") is [_, var state, ..] && state is not ("Z" or "X") && Field("Uid:").Skip(1).Contains(uid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile.
            return false;
        }
    }

    private static bool IsOfTheRun(string entry, string directory, IReadOnlyCollection<string> pipes)
    {
        try
        {
            if (new FileInfo(Path.Combine(entry, "cwd")).LinkTarget is { } cwd &&
                (cwd == directory || cwd.StartsWith(directory + "/", StringComparison.Ordinal)))
            {
                return true;
            }
            if (File.ReadAllText(Path.Combine(entry, "environ")).Split('\0').Contains("HOME=" + directory))
            {
                return true;
            }
            return pipes.Count > 0 && Directory.EnumerateFileSystemEntries(Path.Combine(entry, "fd"))
                .Any(fd => new FileInfo(fd).LinkTarget is { } target && pipes.Contains(target));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile (or a zombie), or another user's: neither is a live process of the run.
            return false;
        }
    }

    // DllImport, not LibraryImport: two ints need no marshalling code, and LibraryImport would need unsafe blocks.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
