namespace Hearth.Tests.Completions;

/// <summary>
/// Finding a run's processes from outside: an isolated run cannot write where a test could read, so its code starts
/// a process with a mark in its command line, and the test finds it (and the run's directory, its HOME) on the host.
/// </summary>
internal static class RunMarks
{
    /// <summary>Host pids of the processes whose command line holds the mark.</summary>
    public static List<int> Marked(string mark) =>
        Directory.EnumerateDirectories("/proc")
            .Select(entry => int.TryParse(Path.GetFileName(entry), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadOrNull($"/proc/{pid}/cmdline")?.Contains(mark, StringComparison.Ordinal) == true)
            .ToList();

    /// <summary>The run's working directory on the host: the HOME a process of the run started with.</summary>
    public static string HomeOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0').Single(v => v.StartsWith("HOME=", StringComparison.Ordinal))[5..];

    private static string? ReadOrNull(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or not readable: not a process of the run.
            return null;
        }
    }
}
