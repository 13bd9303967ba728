namespace Hearth.Server.Backups;

internal static class BackupSetup
{
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddSingleton<BackupMaker>();
        services.AddSingleton<BackupRestorer>();
        services.AddSingleton<DatabaseMover>();
        // BACKUP_INTERVAL, BACKUP_DIR, BACKUP_KEEP: a bad value stops the server at start-up, naming it.
        services.AddOptions<BackupScheduleOptions>().Configure<IConfiguration>(BackupScheduleOptions.MapEnvironment);
        services.AddHostedService<ScheduledBackups>();
        return services;
    }
}
