using System.Globalization;

namespace Hearth.Benchmarks;

/// <summary>A process's memory as Linux reports it in <c>/proc/PID/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>The peak resident set (<c>VmHWM</c>) in KiB; 0 once the process has gone.</summary>
    public static long PeakKb(int pid) => Read(pid, "VmHWM:");

    /// <summary>The resident set now (<c>VmRSS</c>) in KiB.</summary>
    public static long ResidentKb(int pid) => Read(pid, "VmRSS:");

    private static long Read(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
