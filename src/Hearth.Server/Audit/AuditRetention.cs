using System.Globalization;

namespace Hearth.Server.Audit;

/// <summary>
/// Which rotated audit files stay: <c>AUDIT_LOG_FILE_RETENTION</c>, Open WebUI's name (it hands the value to loguru's
/// <c>retention</c>), read the same way: a whole number keeps that many rotated files, the newest; a duration such as
/// <c>30 days</c>, <c>12 hours</c> or <c>2 weeks</c> keeps those rotated within it. Unset keeps them all. The live
/// <c>audit.log</c> is never removed.
/// </summary>
internal sealed record AuditRetention(int? Files, TimeSpan? Age)
{
    public static readonly AuditRetention KeepAll = new(null, null);

    /// <returns>Null when <paramref name="text"/> is neither a count nor a duration.</returns>
    public static AuditRetention? Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var files))
        {
            return new AuditRetention(files, null);
        }
        var parts = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return null;
        }
        TimeSpan? unit = parts[1].TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(1),
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            "week" => TimeSpan.FromDays(7),
            _ => null,
        };
        return unit is { } span && number * span.TotalDays < 100_000 ? new AuditRetention(null, span * number) : null;
    }

    /// <summary>The rotated files of <paramref name="path"/> this retention lets go (their names sort by rotation time).</summary>
    public IEnumerable<string> Expired(string path, DateTimeOffset now)
    {
        var rotated = AuditFiles.Rotated(path).ToList();
        var beyondCount = Files is { } keep ? rotated.Skip(keep) : [];
        var beyondAge = Age is { } age ? rotated.Where(f => File.GetLastWriteTimeUtc(f) < now.UtcDateTime - age) : [];
        return beyondCount.Union(beyondAge);
    }
}

/// <summary>The audit log's file and its rotated siblings (<c>audit.{time}.{pid}.log</c>), shared by the writer and the reader.</summary>
internal static class AuditFiles
{
    /// <summary>Rotated files, newest first.</summary>
    public static IEnumerable<string> Rotated(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var pattern = $"{Path.GetFileNameWithoutExtension(path)}.*{Path.GetExtension(path)}";
        return Directory.EnumerateFiles(folder, pattern)
            .Where(f => f != path && !f.EndsWith(".lock", StringComparison.Ordinal))
            .OrderDescending(StringComparer.Ordinal);
    }
}
