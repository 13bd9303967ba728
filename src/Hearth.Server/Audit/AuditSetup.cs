using Hearth.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Audit;

internal static class AuditSetup
{
    /// <summary>AUDIT_LOG_LEVEL and its file; the writer runs as a hosted service (idle with NONE).</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>()
            .Configure<IConfiguration, IOptions<ServerOptions>>((options, configuration, server) =>
                AuditOptions.MapEnvironment(options, configuration, server.Value.DataDirFullPath));
        services.AddSingleton<AuditFileWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditFileWriter>());
        services.AddSingleton<IAuditLog, AuditTrail>();
        services.AddSingleton<AuditReader>();
        services.AddHttpContextAccessor();
        services.AddSingleton<AdminChatReads>();
        return services;
    }
}
