using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Audit;

/// <summary>The audit lines a test server wrote under its DATA_DIR (the log and its rotated files), read as the writer leaves them.</summary>
internal static class AuditLines
{
    public static IEnumerable<string> Files(string dataDir) =>
        Directory.EnumerateFiles(dataDir, "audit*.log");

    public static List<JsonObject> All(string dataDir) =>
        Files(dataDir).SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

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
