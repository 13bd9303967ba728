namespace Hearth.Server.Retention;

internal static class RetentionSetup
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().Configure<IConfiguration>(RetentionOptions.MapEnvironment).ValidateOnStart();
        services.AddSingleton<RetentionSettings>();
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<RetentionLock>();
        services.AddSingleton<RetentionAudit>();
        services.AddSingleton<RetentionRunner>();
        services.AddHostedService<RetentionService>();
        return services;
    }
}
