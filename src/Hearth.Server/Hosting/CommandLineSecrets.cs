using System.Globalization;
using System.Text;

namespace Hearth.Server.Hosting;

/// <summary>
/// Secrets given as <c>--NAME=value</c> (or <c>--NAME value</c>) are readable by every local user in
/// <c>/proc/PID/cmdline</c> for as long as Hearth runs. Once the configuration has read them, their bytes in the
/// process's argument area are overwritten with <c>*</c> (on Linux a process may write its own memory through
/// <c>/proc/self/mem</c>), so the command line shows only that they were given. They were visible while Hearth
/// started, so the README recommends the environment or <c>DATA_DIR/.webui_secret_key</c> instead, and a warning says so.
/// </summary>
internal static class CommandLineSecrets
{
    private static readonly string[] Names =
    [
        "WEBUI_SECRET_KEY", "DATABASE_URL", "OPENAI_API_KEY", "OPENAI_API_KEYS", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
    ];

    /// <summary>Hides the values of secret settings in this process's command line; answers the names it found there.</summary>
    public static IReadOnlyList<string> Hide()
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }
        try
        {
            var (start, end) = ArgumentArea();
            var area = File.ReadAllBytes("/proc/self/cmdline");
            if (end - start != area.Length)
            {
                // The area was moved or rewritten already (prctl): what /proc shows is not where the arguments are.
                return [];
            }
            var found = new List<string>();
            var spans = Secrets(area, found);
            if (spans.Count == 0)
            {
                return found;
            }
            using var memory = new FileStream("/proc/self/mem", FileMode.Open, FileAccess.Write);
            foreach (var (offset, length) in spans)
            {
                memory.Seek(start + offset, SeekOrigin.Begin);
                memory.Write(Enumerable.Repeat((byte)'*', length).ToArray());
            }
            return found;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return [];
        }
    }

    /// <summary>Fields 48 and 49 of <c>/proc/self/stat</c>: where the arguments start and end in memory.</summary>
    private static (long Start, long End) ArgumentArea()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[48 - 3], CultureInfo.InvariantCulture), long.Parse(fields[49 - 3], CultureInfo.InvariantCulture));
    }

    /// <summary>The offset and length of each secret value among the NUL-separated arguments (counted in bytes, whatever their encoding).</summary>
    private static List<(int Offset, int Length)> Secrets(byte[] area, List<string> found)
    {
        var spans = new List<(int, int)>();
        var valueFollows = false;
        for (var offset = 0; offset < area.Length;)
        {
            var end = Array.IndexOf(area, (byte)0, offset);
            end = end < 0 ? area.Length : end;
            var argument = area.AsSpan(offset, end - offset);
            if (valueFollows)
            {
                spans.Add((offset, argument.Length));
                valueFollows = false;
            }
            else if (Name(Encoding.UTF8.GetString(argument)) is { } name)
            {
                found.Add(name);
                var equals = argument.IndexOf((byte)'=');
                if (equals < 0)
                {
                    valueFollows = true;
                }
                else
                {
                    spans.Add((offset + equals + 1, argument.Length - equals - 1));
                }
            }
            offset = end + 1;
        }
        return spans;
    }

    private static string? Name(string argument)
    {
        var option = argument.TrimStart('-', '/');
        if (option.Length == argument.Length)
        {
            return null;
        }
        var name = option.Split('=', 2)[0];
        return Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }
}
