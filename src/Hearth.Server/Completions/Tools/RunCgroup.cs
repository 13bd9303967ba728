namespace Hearth.Server.Completions.Tools;

/// <summary>
/// A control group of one <c>python_exec</c> run, so its memory (every process together, files in its private
/// <c>/tmp</c> included) and its number of processes are limited for the run as a whole, not per process. Made under
/// Hearth's own group in each hierarchy that has the controller (cgroup v2, or v1's <c>memory</c> and <c>pids</c>)
/// where Hearth may write there; where it may not (a container with a read-only <c>/sys/fs/cgroup</c>) the run has
/// none and only the per-process limits hold (<see cref="PythonSandbox"/>). The run's first process joins it before
/// it starts anything, so nothing of the run is ever outside it.
/// </summary>
internal sealed class RunCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";

    private static readonly Lazy<IReadOnlyList<Hierarchy>> Hierarchies = new(FindHierarchies);

    private readonly List<string> _directories;
    private readonly ILogger _logger;

    private RunCgroup(List<string> directories, ILogger logger)
    {
        _directories = directories;
        _logger = logger;
    }

    /// <summary>The <c>cgroup.procs</c> files the run's first process writes its pid into.</summary>
    public IEnumerable<string> ProcsFiles => _directories.Select(d => Path.Combine(d, "cgroup.procs"));

    private static readonly string[] OomFiles = ["memory.events", "memory.oom_control"];

    /// <summary>Whether the kernel killed a process of the run for going over the memory limit (v2 <c>memory.events</c>, v1 <c>memory.oom_control</c>).</summary>
    public bool OutOfMemory => _directories.Any(directory =>
        OomFiles.Select(name => Path.Combine(directory, name)).Where(File.Exists)
            .SelectMany(File.ReadAllLines).Any(line => line.StartsWith("oom_kill ", StringComparison.Ordinal) && line != "oom_kill 0"));

    /// <summary>Whether runs get a group with both limits here (tests of the whole-run limits skip where not, saying why).</summary>
    internal static bool Available => Hierarchies.Value.Any(h => h.Memory) && Hierarchies.Value.Any(h => h.Pids);

    /// <summary>A group limited to the given memory (bytes) and processes; null where this system lets Hearth make none.</summary>
    public static RunCgroup? Create(long memoryBytes, int processes, ILogger logger)
    {
        if (Hierarchies.Value.Count == 0)
        {
            return null;
        }
        var name = $"hearth-python-{Guid.NewGuid():N}";
        var made = new List<string>();
        try
        {
            foreach (var hierarchy in Hierarchies.Value)
            {
                var directory = Path.Combine(hierarchy.Parent, name);
                Directory.CreateDirectory(directory);
                made.Add(directory);
                if (hierarchy.Memory)
                {
                    var (limit, swap) = hierarchy.Unified ? ("memory.max", "memory.swap.max") : ("memory.limit_in_bytes", null);
                    File.WriteAllText(Path.Combine(directory, limit), memoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    // Swap would let the run hold more than its limit; not every kernel has the file.
                    TryWrite(Path.Combine(directory, swap ?? "memory.memsw.limit_in_bytes"), swap is null ? memoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0");
                }
                if (hierarchy.Pids)
                {
                    File.WriteAllText(Path.Combine(directory, "pids.max"), processes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            return new RunCgroup(made, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not make a control group for a python_exec run; it runs with per-process limits only");
            new RunCgroup(made, logger).Dispose();
            return null;
        }
    }

    /// <summary>Removes the groups once empty: the run's processes are dead, but the kernel may take a moment to let them go.</summary>
    public void Dispose()
    {
        foreach (var directory in _directories)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                    break;
                }
                catch (DirectoryNotFoundException)
                {
                    break;
                }
                catch (IOException) when (attempt < 50)
                {
                    Thread.Sleep(20);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _logger.LogWarning(e, "Could not remove the python_exec control group {Group}", directory);
                    break;
                }
            }
        }
    }

    private static void TryWrite(string file, string value)
    {
        try
        {
            File.WriteAllText(file, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Absent where swap accounting is off: the memory limit alone still holds.
        }
    }

    /// <summary>Where runs' groups go in one hierarchy, and which of the two limits it can set.</summary>
    private sealed record Hierarchy(string Parent, bool Unified, bool Memory, bool Pids);

    /// <summary>
    /// From <c>/proc/self/cgroup</c> (<c>id:controllers:path</c>): v1's memory and pids hierarchies, else v2's unified
    /// one, each where a child group of Hearth's own can be made and written.
    /// </summary>
    private static IReadOnlyList<Hierarchy> FindHierarchies()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/cgroup"))
        {
            return [];
        }
        var found = new List<Hierarchy>();
        var unified = (string?)null;
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }
            var own = parts[2].TrimStart('/');
            if (parts[1].Length == 0)
            {
                unified = own;
                continue;
            }
            foreach (var controller in parts[1].Split(','))
            {
                if (controller is "memory" or "pids" && Usable(Path.Combine(Root, controller, own), controller, unified: false) is { } parent)
                {
                    found.Add(new Hierarchy(parent, Unified: false, Memory: controller == "memory", Pids: controller == "pids"));
                }
            }
        }
        if (found.Count == 0 && unified is not null)
        {
            var mount = File.Exists(Path.Combine(Root, "cgroup.controllers")) ? Root : Path.Combine(Root, "unified");
            if (Usable(Path.Combine(mount, unified), "memory pids", unified: true) is { } parent)
            {
                var controllers = File.ReadAllText(Path.Combine(parent, "cgroup.subtree_control")).Split(' ', StringSplitOptions.TrimEntries);
                found.Add(new Hierarchy(parent, Unified: true, Memory: controllers.Contains("memory"), Pids: controllers.Contains("pids")));
            }
        }
        return found.Where(h => h.Memory || h.Pids).ToList();
    }

    /// <summary>The parent for runs' groups if a child can be made there (and, on v2, its controllers passed down to it).</summary>
    private static string? Usable(string parent, string controllers, bool unified)
    {
        var probe = Path.Combine(parent, $"hearth-probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            if (unified)
            {
                // v2 passes a controller to children only when the parent enables it for its subtree; a group with
                // processes of its own (Hearth's, unless it is the root) cannot, so this may fail and the run gets none.
                foreach (var controller in controllers.Split(' '))
                {
                    TryWrite(Path.Combine(parent, "cgroup.subtree_control"), "+" + controller);
                }
            }
            return parent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
