using System.Diagnostics;
using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Completions;

/// <summary>
/// Nothing of a <c>python_exec</c> run outlives the call: real processes, the tool called directly. Each case runs
/// with the run's own PID namespace (skipped where this system permits none) and without it, as on systems that
/// permit none, where the process group, the tree and the scan for leftovers (by the run's own user under a root
/// Hearth) must do. Each checks, from inside the run, that it had the PID namespace it asked for, or none.
/// </summary>
public sealed class PythonExecProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    private static PythonExecTool Tool(bool pidNamespace, TimeSpan? timeout = null) =>
        new(Options.Create(new PythonExecOptions { Timeout = timeout ?? Limit, PidNamespace = pidNamespace }), NullLogger<PythonExecTool>.Instance);

    [Theory]
    [OwnPidNamespace]
    [InlineData(false)]
    public async Task EveryProcessOfARunIsKilledAtTheTimeLimit(bool pidNamespace)
    {
        // A fork that keeps writing into the directory, a subprocess, one in a session of its own and a shell
        // background job: the last two are no longer children of the process Hearth started.
        var code = """
            import os, subprocess, time
            print('DIR', os.getcwd(), flush=True)
            print('NS', os.readlink('/proc/self/ns/pid'), flush=True)
            print('PID', os.readlink('/proc/self'), flush=True)
            if os.fork() == 0:
                print('PID', os.readlink('/proc/self'), flush=True)
                while True:
                    open('busy.txt', 'w').write(str(time.time()))
                    time.sleep(0.01)
            child = "import os, time; print('PID', os.readlink('/proc/self'), flush=True); time.sleep(30)"
            subprocess.Popen(['python3', '-c', child])
            subprocess.Popen(['python3', '-c', child], start_new_session=True)
            os.system('sleep 30 &')
            time.sleep(30)
            """;
        var clock = Stopwatch.StartNew();
        var result = await Tool(pidNamespace).RunAsync(new JsonObject { ["code"] = code }, CancellationToken.None);
        Assert.True(clock.Elapsed < Limit + TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(result.IsError);
        Assert.Contains("time limit", result.Content);
        Assert.Equal(4, Pids(result.Content).Count);
        AssertPidNamespace(result.Content, pidNamespace);
        await AssertNothingIsLeftAsync(RunDirectory(result.Content), Pids(result.Content));
    }

    [Theory]
    [OwnPidNamespace]
    [InlineData(false)]
    public async Task ChildrenHoldingTheOutputOpenDoNotHoldTheCall(bool pidNamespace)
    {
        // A fork, and a daemon (forked twice, in a session of its own, its parent gone, working elsewhere) inherit
        // stdout and stderr and sleep far past the time limit after the main process has ended.
        var code = """
            import os, time
            print('DIR', os.getcwd(), flush=True)
            print('NS', os.readlink('/proc/self/ns/pid'), flush=True)
            ready, told = os.pipe()
            def linger():
                print('PID', os.readlink('/proc/self'), flush=True)
                os.write(told, b'x')
                time.sleep(30)
                os._exit(0)
            if os.fork() == 0:
                linger()
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.chdir('/')
                    linger()
                os._exit(0)
            for _ in range(2):
                os.read(ready, 1)
            print('main done')
            """;
        var clock = Stopwatch.StartNew();
        var result = await Tool(pidNamespace).RunAsync(new JsonObject { ["code"] = code }, CancellationToken.None);
        Assert.True(clock.Elapsed < Limit, $"took {clock.Elapsed}");
        Assert.False(result.IsError, result.Content);
        Assert.Contains("main done", result.Content);
        Assert.Equal(2, Pids(result.Content).Count);
        AssertPidNamespace(result.Content, pidNamespace);
        await AssertNothingIsLeftAsync(RunDirectory(result.Content), Pids(result.Content));
    }

    [Theory]
    [OwnPidNamespace]
    [InlineData(false)]
    public async Task ADaemonWithoutTheRunsPipesOrDirectoryIsKilled(bool pidNamespace)
    {
        // Own session, no parent, no pipes, another directory: only the namespace, or without one the environment
        // it started with, still marks it as the run's.
        var code = DaemonCode("os.closerange(0, 3)", "os.write(told, b'x')", "time.sleep(30)");
        var result = await Tool(pidNamespace).RunAsync(new JsonObject { ["code"] = code }, CancellationToken.None);
        Assert.False(result.IsError, result.Content);
        AssertPidNamespace(result.Content, pidNamespace);
        await AssertNothingIsLeftAsync(RunDirectory(result.Content), Pids(result.Content));
    }

    [OwnRunUserFact]
    public async Task ADaemonThatLeftEveryMarkOfTheRunIsKilledByItsUser()
    {
        // Beyond the marks the scan for leftovers looks for: own session, no parent, no pipes, another directory,
        // and a new environment (exec). Without a PID namespace only the run's own user still tells it apart.
        var code = DaemonCode(
            "os.dup2(told, 3)", "os.closerange(4, 1024)", "os.closerange(0, 3)",
            "os.execve('/bin/sh', ['sh', '-c', 'echo x >&3; exec 3>&-; exec sleep 30'], {})");
        var result = await Tool(pidNamespace: false).RunAsync(new JsonObject { ["code"] = code }, CancellationToken.None);
        Assert.False(result.IsError, result.Content);
        AssertPidNamespace(result.Content, own: false);
        Assert.Single(Pids(result.Content));
        await AssertNothingIsLeftAsync(RunDirectory(result.Content), Pids(result.Content));
    }

    [Theory]
    [OwnPidNamespace]
    [InlineData(false)]
    public async Task ACancelledRunIsKilledWithItsChildren(bool pidNamespace)
    {
        // The run tells its directory and pids through a file, as a cancelled call answers nothing.
        var marker = Path.Combine(Path.GetTempPath(), $"hearth-python-test-{Guid.NewGuid():N}.txt");
        var code = $$"""
            import os, time
            def tell(line):
                with open({{System.Text.Json.JsonSerializer.Serialize(marker)}}, 'a') as f:
                    f.write(line + '\n')
            tell('DIR ' + os.getcwd())
            tell('NS ' + os.readlink('/proc/self/ns/pid'))
            if os.fork() == 0:
                os.setsid()
                tell('PID ' + os.readlink('/proc/self'))
                time.sleep(60)
            tell('PID ' + os.readlink('/proc/self'))
            time.sleep(60)
            """;
        using var cancel = new CancellationTokenSource();
        var run = Tool(pidNamespace, TimeSpan.FromSeconds(60)).RunAsync(new JsonObject { ["code"] = code }, cancel.Token);
        try
        {
            var told = "";
            for (var waited = Stopwatch.StartNew(); Pids(told).Count < 2; await Task.Delay(50))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the run did not start");
                told = File.Exists(marker) ? await File.ReadAllTextAsync(marker) : "";
            }
            var clock = Stopwatch.StartNew();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
            AssertPidNamespace(told, pidNamespace);
            await AssertNothingIsLeftAsync(RunDirectory(told), Pids(told));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    /// <summary>
    /// Code whose daemon (forked twice, in a session of its own, its parent gone, working in <c>/</c>) tells its pid
    /// and then runs the given lines, which tell the run through <c>told</c> that it may end.
    /// </summary>
    private static string DaemonCode(params string[] daemon) => $$"""
        import os, time
        print('DIR', os.getcwd(), flush=True)
        print('NS', os.readlink('/proc/self/ns/pid'), flush=True)
        ready, told = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.chdir('/')
                print('PID', os.readlink('/proc/self'), flush=True)
        {{string.Join("\n", daemon.Select(line => "        " + line))}}
            os._exit(0)
        os.read(ready, 1)
        """;

    /// <summary>The run's PID namespace, as it printed it (<c>NS pid:[n]</c>), is another than the tests' exactly when it asked for its own.</summary>
    private static void AssertPidNamespace(string output, bool own)
    {
        var run = output.Split('\n').Single(l => l.StartsWith("NS ", StringComparison.Ordinal))[3..];
        var tests = new FileInfo("/proc/self/ns/pid").LinkTarget;
        Assert.StartsWith("pid:[", run);
        if (own)
        {
            Assert.NotEqual(tests, run);
        }
        else
        {
            Assert.Equal(tests, run);
        }
    }

    internal static string RunDirectory(string output) => output.Split('\n').First(l => l.StartsWith("DIR ", StringComparison.Ordinal))[4..];

    /// <summary>The pids a run printed as <c>PID n</c>: read from <c>/proc/self</c>, the host's /proc, so they are the host's pids in a PID namespace too.</summary>
    private static List<int> Pids(string output) =>
        output.Split('\n').Where(l => l.StartsWith("PID ", StringComparison.Ordinal)).Select(l => int.Parse(l[4..])).ToList();

    /// <summary>Within a second (a killed process takes a moment to go), no process the run reported or working in its directory lives, and the directory is gone.</summary>
    private static async Task AssertNothingIsLeftAsync(string directory, IReadOnlyList<int> pids)
    {
        var waited = Stopwatch.StartNew();
        while (Survivors(directory, pids) is { Count: > 0 } left)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(1), $"still running: {string.Join(", ", left)}");
            await Task.Delay(50);
        }
        Assert.False(Directory.Exists(directory));
    }

    private static List<int> Survivors(string directory, IReadOnlyList<int> pids)
    {
        var survivors = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }
            // A zombie is dead already (its parent just has not collected it); a process gone meanwhile reads as one.
            if (Read<char?>(() => File.ReadAllText(Path.Combine(entry, "stat")).Split(") ")[^1][0]) is 'Z' or null)
            {
                continue;
            }
            var cwd = Read(() => new FileInfo(Path.Combine(entry, "cwd")).LinkTarget)?.Replace(" (deleted)", "");
            if (pids.Contains(pid) || cwd == directory || cwd?.StartsWith(directory + "/", StringComparison.Ordinal) == true)
            {
                survivors.Add(pid);
            }
        }
        return survivors;
    }

    private static T? Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }
}
