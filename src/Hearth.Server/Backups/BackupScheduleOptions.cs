using Hearth.Server.Auth;
using Hearth.Server.Hosting;

namespace Hearth.Server.Backups;

/// <summary>
/// Scheduled backups: <c>BACKUP_INTERVAL</c> (a duration such as <c>6h</c>; unset, <c>0</c> or <c>-1</c>: none),
/// <c>BACKUP_DIR</c> (default <c>DATA_DIR/backups</c>) and <c>BACKUP_KEEP</c> (the newest N kept; unset: all).
/// </summary>
internal sealed class BackupScheduleOptions
{
    public TimeSpan? Interval { get; set; }
    public string? Directory { get; set; }
    public int? Keep { get; set; }

    public static void MapEnvironment(BackupScheduleOptions options, IConfiguration configuration)
    {
        if (Setting.Raw(configuration, "BACKUP_INTERVAL") is { } interval)
        {
            if (!Duration.TryParse(interval, out var duration) || duration < TimeSpan.FromSeconds(1))
            {
                throw Setting.Invalid("BACKUP_INTERVAL", interval, "a duration of at least 1s such as 30m, 6h or 1d (or 0 for no scheduled backups)");
            }
            options.Interval = duration;
        }
        options.Directory = Setting.Raw(configuration, "BACKUP_DIR") ?? options.Directory;
        options.Keep = (int?)Setting.Long(configuration, "BACKUP_KEEP", 1, int.MaxValue) ?? options.Keep;
    }
}
