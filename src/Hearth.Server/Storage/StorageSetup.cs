using Hearth.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Storage;

internal static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration("Database")
            .Configure<IConfiguration>((options, configuration) => options.Url = Setting.Raw(configuration, "DATABASE_URL") ?? options.Url)
            // Checked with the other settings, before anything starts, so a bad URL stops Hearth with one clear message.
            .Validate(options => Parses(options.Url), "Setting DATABASE_URL must be empty (SQLite in DATA_DIR), sqlite:///path/to/file.db, or postgresql://user:password@host:port/database.")
            .ValidateOnStart();
        services.AddSingleton(provider => DatabaseUrl.Parse(
            provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Url,
            provider.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirFullPath));
        services.AddSingleton<Database>();
        services.AddSingleton<ChatDeletions>();
        // One LISTEN connection for every notification channel (PostgreSQL only).
        services.AddSingleton<PostgresNotifications>();
        services.AddHostedService(provider => provider.GetRequiredService<PostgresNotifications>());
        // The search indexes migrate-db left for Hearth to build, built while it serves (PostgreSQL only).
        services.AddHostedService<DeferredIndexBuilder>();
        // Applied by StartupChecks.PrepareDatabaseAsync before the server starts (and by the commands).
        services.AddSingleton<MigrationRunner>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.DatabaseTag]);
        return services;
    }

    private static bool Parses(string? url)
    {
        try
        {
            DatabaseUrl.Parse(url, ".");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class DatabaseHealthCheck(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy(database.Description);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(Common.ErrorMessages.DatabaseUnavailable, e);
            }
        }
    }
}
