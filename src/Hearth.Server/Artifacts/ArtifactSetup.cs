namespace Hearth.Server.Artifacts;

internal static class ArtifactSetup
{
    public static IServiceCollection AddArtifacts(this IServiceCollection services)
    {
        services.AddOptions<ArtifactOptions>()
            .BindConfiguration("Artifacts")
            // A bad ARTIFACT_* value stops the server at start-up with a message naming it.
            .Configure<IConfiguration>(ArtifactOptions.MapEnvironment)
            .ValidateOnStart();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ArtifactChangeFeed>();
        services.AddHostedService<ArtifactChangeListener>();
        return services;
    }

    public static WebApplication MapArtifacts(this WebApplication app)
    {
        app.MapArtifactsApi();
        app.MapArtifactBridge();
        return app;
    }
}
