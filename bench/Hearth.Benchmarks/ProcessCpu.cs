using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>
/// CPU time as Linux counts it: a process's own (<c>/proc/PID/stat</c>, user and system) and the whole machine's busy
/// time (<c>/proc/stat</c>), so a benchmark can say where the cores went while it measured.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second of both files (USER_HZ, 100 on every Linux .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The process's user and system CPU time so far, in seconds; 0 once it has gone.</summary>
    public static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15, the 12th and 13th after the name.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Busy and total CPU time of every core so far, in seconds (idle and I/O wait are not busy).</summary>
    public static (double Busy, double Total) Machine()
    {
        var line = File.ReadLines("/proc/stat").First();
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Sum();
        var idle = ticks[3] + ticks[4];
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }
}
