namespace Hearth.Server.Backups;

internal static class BackupSetup
{
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddSingleton<BackupMaker>();
        services.AddSingleton<BackupRestorer>();
        return services;
    }
}
