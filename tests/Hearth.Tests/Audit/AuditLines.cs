using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Audit;

/// <summary>The audit lines a test server wrote under its DATA_DIR (the log and its rotated files), read as the writer leaves them.</summary>
internal static class AuditLines
{
    public static IEnumerable<string> Files(string dataDir) =>
        Directory.EnumerateFiles(dataDir, "audit*.log");

    /// <summary>
    /// Every whole line: a read can land in the middle of the writer's append, so what follows the last line end is
    /// not a line yet and is left for the next read.
    /// </summary>
    public static List<JsonObject> All(string dataDir) =>
        Files(dataDir).SelectMany(WholeLines).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private static IEnumerable<string> WholeLines(string path)
    {
        string text;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(file))
        {
            text = reader.ReadToEnd();
        }
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Waits (polling, up to 15 s) for a line the background writer has not yet written.</summary>
    public static async Task<JsonObject> WaitForAsync(string dataDir, Func<JsonObject, bool> wanted, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (All(dataDir).FirstOrDefault(wanted) is { } line)
            {
                return line;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new Xunit.Sdk.XunitException($"No audit line for {what}; the log has: {string.Join("\n", All(dataDir).Select(l => l.ToJsonString()))}");
            }
            await Task.Delay(20);
        }
    }

    public static string? Text(this JsonNode? node) => node?.GetValue<string>();
}
