using Hearth.Server.Hosting;

namespace Hearth.Server.Retention;

/// <summary>
/// Chat retention from the environment: the server-wide rule's first value (an admin's stored rule wins
/// afterwards, <see cref="RetentionSettings"/>) and how the background pass runs.
/// </summary>
internal sealed class RetentionOptions
{
    /// <summary>Chats not updated for this many days go; 0 keeps every chat (the default).</summary>
    public int Days { get; set; }
    public string Action { get; set; } = RetentionRule.Archive;
    /// <summary>Time between background passes; the first one runs one interval after start-up.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Chats per transaction, so a pass never holds many rows (or SQLite's writer) for long.</summary>
    public int BatchSize { get; set; } = 200;

    public static void MapEnvironment(RetentionOptions options, IConfiguration configuration)
    {
        options.Days = (int?)Setting.Long(configuration, "CHAT_RETENTION_DAYS", 0, RetentionRule.MaxDays) ?? options.Days;
        var action = Setting.Raw(configuration, "CHAT_RETENTION_ACTION")?.ToLowerInvariant();
        if (action is not null && !RetentionRule.IsAction(action))
        {
            throw Setting.Invalid("CHAT_RETENTION_ACTION", action, "delete or archive");
        }
        options.Action = action ?? options.Action;
        options.Interval = Setting.Long(configuration, "CHAT_RETENTION_INTERVAL", 1, 7 * 24 * 3600) is { } seconds
            ? TimeSpan.FromSeconds(seconds)
            : options.Interval;
        options.BatchSize = (int?)Setting.Long(configuration, "CHAT_RETENTION_BATCH_SIZE", 1, 10_000) ?? options.BatchSize;
    }
}
