using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Audit;

/// <summary>Which audit lines an admin asked for: an action (exact, or every action under a prefix ending in
/// <c>.</c>), an actor's id, an outcome, and a time range in Unix seconds (inclusive).</summary>
internal sealed record AuditQuery(string? Action, string? UserId, string? Outcome, long? Since, long? Until)
{
    public bool Matches(JsonObject line) =>
        (Action is null || (Action.EndsWith('.') ? Text(line["action"])?.StartsWith(Action, StringComparison.Ordinal) == true : Text(line["action"]) == Action))
        && (UserId is null || Text(line["actor"]?["id"]) == UserId)
        && (Outcome is null || Text(line["outcome"]) == Outcome)
        && (Since is null || Seconds(line) >= Since)
        && (Until is null || Seconds(line) <= Until);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Seconds(JsonObject line) => line["timestamp"] is JsonValue value && value.TryGetValue<long>(out var seconds) ? seconds : null;
}

/// <summary>
/// Reads the audit log newest first: the current file from its end, then the rotated files, newest name first.
/// Each file is read whole (at most <c>AUDIT_LOG_FILE_ROTATION_SIZE</c>); a line being written, or not JSON, is skipped.
/// </summary>
internal sealed class AuditReader(IOptions<AuditOptions> options)
{
    public (List<JsonObject> Lines, bool HasMore) Page(AuditQuery query, int skip, int limit)
    {
        var page = new List<JsonObject>();
        foreach (var line in Newest(query))
        {
            if (skip > 0)
            {
                skip--;
            }
            else if (page.Count == limit)
            {
                return (page, true);
            }
            else
            {
                page.Add(line);
            }
        }
        return (page, false);
    }

    private IEnumerable<JsonObject> Newest(AuditQuery query)
    {
        foreach (var file in Files())
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (FileNotFoundException)
            {
                continue; // rotated away between the listing and the read; its lines are in the newest rotated file
            }
            for (var i = lines.Length - 1; i >= 0; i--)
            {
                if (Parse(lines[i]) is { } line && query.Matches(line))
                {
                    yield return line;
                }
            }
        }
    }

    /// <summary>The log and its rotated siblings (<c>audit.*.log</c>), newest first.</summary>
    private IEnumerable<string> Files()
    {
        var path = options.Value.FilePath;
        var rotated = AuditFiles.Rotated(path);
        return File.Exists(path) ? rotated.Prepend(path) : rotated;
    }

    private static JsonObject? Parse(string line)
    {
        try
        {
            return line.Length == 0 ? null : JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
