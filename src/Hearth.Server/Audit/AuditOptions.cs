using System.Globalization;
using Hearth.Server.Hosting;

namespace Hearth.Server.Audit;

/// <summary>How much an audit line carries, in Open WebUI's names and order.</summary>
internal enum AuditLevel
{
    /// <summary>No audit log (the default).</summary>
    None,
    /// <summary>Who did what to which thing, when, from where, and how it ended.</summary>
    Metadata,
    /// <summary>Metadata plus the request's body, with passwords, tokens and keys taken out.</summary>
    Request,
    /// <summary>Request plus the answer's body, with the same parts taken out.</summary>
    RequestResponse,
}

/// <summary>
/// The audit log's settings: <c>AUDIT_LOG_LEVEL</c> (NONE, METADATA, REQUEST, REQUEST_RESPONSE),
/// <c>AUDIT_LOG_FILE_ROTATION_SIZE</c> (10MB, as Open WebUI), <c>MAX_BODY_LOG_SIZE</c> (characters of a logged body,
/// 2048), <c>AUDIT_LOG_FILE_RETENTION</c> (the rotated files kept, <see cref="AuditRetention"/>) and <c>AUDIT_LOGS_FILE_PATH</c> (Open WebUI fixes it at <c>DATA_DIR/audit.log</c>; Hearth lets it move).
/// </summary>
internal sealed class AuditOptions
{
    public AuditLevel Level { get; set; } = AuditLevel.None;
    public string FilePath { get; set; } = "";
    public long RotationSize { get; set; } = 10L * 1024 * 1024;
    public int MaxBodyLogSize { get; set; } = 2048;
    public AuditRetention Retention { get; set; } = AuditRetention.KeepAll;

    public bool Enabled => Level != AuditLevel.None;

    public static void MapEnvironment(AuditOptions options, IConfiguration configuration, string dataDir)
    {
        var level = Setting.Raw(configuration, "AUDIT_LOG_LEVEL");
        options.Level = level?.ToUpperInvariant() switch
        {
            null or "NONE" => AuditLevel.None,
            "METADATA" => AuditLevel.Metadata,
            "REQUEST" => AuditLevel.Request,
            "REQUEST_RESPONSE" => AuditLevel.RequestResponse,
            _ => throw Setting.Invalid("AUDIT_LOG_LEVEL", level, "NONE, METADATA, REQUEST or REQUEST_RESPONSE"),
        };
        options.FilePath = Path.GetFullPath(Setting.Raw(configuration, "AUDIT_LOGS_FILE_PATH") ?? Path.Combine(dataDir, "audit.log"));
        if (Setting.Raw(configuration, "AUDIT_LOG_FILE_ROTATION_SIZE") is { } size)
        {
            options.RotationSize = ParseSize(size) is { } bytes and >= 1024
                ? bytes
                : throw Setting.Invalid("AUDIT_LOG_FILE_ROTATION_SIZE", size, "a size of at least 1KB such as 10MB, 500KB or 1048576 (bytes)");
        }
        if (Setting.Raw(configuration, "AUDIT_LOG_FILE_RETENTION") is { } retention)
        {
            options.Retention = AuditRetention.Parse(retention)
                ?? throw Setting.Invalid("AUDIT_LOG_FILE_RETENTION", retention, "a number of rotated files to keep such as 10, or an age such as 30 days, 12 hours or 2 weeks");
        }
        options.MaxBodyLogSize = (int)(Setting.Long(configuration, "MAX_BODY_LOG_SIZE", 0, int.MaxValue) ?? options.MaxBodyLogSize);
    }

    /// <summary>Bytes from <c>10MB</c>, <c>500 KB</c>, <c>1GB</c> or a plain number (powers of 1024, as loguru reads them).</summary>
    public static long? ParseSize(string text)
    {
        var trimmed = text.Trim().ToUpperInvariant();
        var digits = trimmed.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = trimmed[digits..].Trim() switch
        {
            "" or "B" => 1L,
            "K" or "KB" => 1024L,
            "M" or "MB" => 1024L * 1024,
            "G" or "GB" => 1024L * 1024 * 1024,
            _ => 0L,
        };
        return unit > 0 && decimal.TryParse(trimmed[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && number * unit <= long.MaxValue
            ? (long)(number * unit)
            : null;
    }
}
