using Hearth.Server.Storage;

namespace Hearth.Server.KeyValue;

internal static class KvSetup
{
    public static IServiceCollection AddKeyValue(this IServiceCollection services)
    {
        services.AddOptions<KvOptions>()
            .BindConfiguration("Artifacts")
            // A bad ARTIFACT_* value stops the server at start-up with a message naming it.
            .Configure<IConfiguration>(KvOptions.MapEnvironment)
            .ValidateOnStart();
        services.AddSingleton<KvStore>();
        services.AddSingleton<KvChangeFeed>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<KvChangeFeed>());
        return services;
    }

    public static WebApplication MapKeyValue(this WebApplication app)
    {
        app.MapArtifactsApi();
        app.MapArtifactBridge();
        return app;
    }
}
