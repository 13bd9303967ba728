using Hearth.Server.Completions.Tools;
using Hearth.Server.Events;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions;

internal static class CompletionsSetup
{
    public static IServiceCollection AddCompletions(this IServiceCollection services)
    {
        services.AddOptions<CompletionOptions>().Configure<IConfiguration>(CompletionOptions.MapEnvironment).ValidateOnStart();
        services.AddOptions<PythonExecOptions>().Configure<IConfiguration>(PythonExecOptions.MapEnvironment).ValidateOnStart();
        services.AddOptions<TemplateRenderOptions>().Configure<IConfiguration>(TemplateRenderOptions.MapEnvironment).ValidateOnStart();
        services.AddOptions<ChatTitleOptions>().Configure<IConfiguration>(ChatTitleOptions.MapEnvironment);
        services.AddHttpClient(ModelClient.HttpClientName, (provider, client) => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectTimeout = provider.GetRequiredService<IOptions<CompletionOptions>>().Value.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddSingleton<ModelClient>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<Models.ModelAccess>();
        services.AddSingleton<Models.ModelMenu>();
        services.AddSingleton<Models.WorkspaceModelStore>();
        services.AddSingleton<Access.AccessGrantStore>();
        services.AddSingleton<CompletionRunner>();
        services.AddSingleton<CompletionModes>();
        services.AddSingleton<ChatTitles>();
        services.AddSingleton<ReplyRecorders>();
        services.AddSingleton<ConversationContext>();
        services.AddSingleton<TaskRegistry>();
        services.AddSingleton<ITool, PythonExecTool>();
        services.AddSingleton<ITool, TemplateRenderTool>();
        services.AddSingleton<ToolRegistry>();
        services.AddSingleton<ToolExecution>();
        return services;
    }

    /// <summary>The event bus, relayed between processes when they share a PostgreSQL database.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddSingleton<EventBus>();
        services.AddSingleton<PostgresEventRelay>();
        services.AddSingleton<INotificationChannel>(provider => provider.GetRequiredService<PostgresEventRelay>());
        services.AddHostedService<RelayWhenPostgres>();
        return services;
    }

    public static void MapCompletionRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapCompletions();
        routes.MapChatHooks();
        routes.MapTools();
        routes.MapEvents();
        routes.MapConnections();
    }

    /// <summary>Starts the PostgreSQL relay only where there is PostgreSQL.</summary>
    private sealed class RelayWhenPostgres(Database database, EventBus bus, PostgresEventRelay relay) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!database.IsPostgres)
            {
                return Task.CompletedTask;
            }
            bus.Relay = relay;
            return relay.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => database.IsPostgres ? relay.StopAsync(cancellationToken) : Task.CompletedTask;
    }
}
