namespace Hearth.Server.Hosting;

/// <summary>
/// Log levels as the platform's own templates ship them: Hearth's messages from Information, ASP.NET Core's
/// per-request lines (request started, endpoint executed, result written: several a request) only from
/// Warning, since at Information they flood the console and cost throughput. <c>GLOBAL_LOG_LEVEL</c>, Open
/// WebUI's setting (<c>DEBUG</c>, <c>INFO</c>, <c>WARNING</c>, <c>ERROR</c>, <c>CRITICAL</c>), moves both;
/// at <c>DEBUG</c> everything shows. <c>Logging:LogLevel:Default</c> replaces the global level, and a
/// <c>Logging:LogLevel</c> entry for one of the per-request categories (or a longer name under one) sets it.
/// </summary>
internal static class LoggingSetup
{
    public static WebApplicationBuilder AddHearthLogging(this WebApplicationBuilder builder)
    {
        var level = GlobalLevel(builder.Configuration) ?? LogLevel.Information;
        var logLevels = builder.Configuration.GetSection("Logging:LogLevel");
        if (logLevels["Default"] is null)
        {
            builder.Logging.SetMinimumLevel(level);
        }
        foreach (var category in PerRequest)
        {
            if (logLevels[category] is null)
            {
                builder.Logging.AddFilter(category, level <= LogLevel.Debug ? level : (LogLevel)Math.Max((int)level, (int)LogLevel.Warning));
            }
        }
        return builder;
    }

    /// <summary>
    /// Categories that log at Information on every request: ASP.NET Core's, and the authentication handler, which
    /// the framework names after Hearth's class and which notes each challenge (every request without credentials).
    /// </summary>
    private static readonly string[] PerRequest = ["Microsoft.AspNetCore", "Hearth.Server.Auth.HearthAuthentication"];

    public static LogLevel? GlobalLevel(IConfiguration configuration) =>
        Setting.Raw(configuration, "GLOBAL_LOG_LEVEL")?.ToUpperInvariant() switch
        {
            null => null,
            "DEBUG" => LogLevel.Debug,
            "INFO" => LogLevel.Information,
            "WARNING" or "WARN" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "CRITICAL" or "FATAL" => LogLevel.Critical,
            "NOTSET" => LogLevel.Debug,
            var other => throw Setting.Invalid("GLOBAL_LOG_LEVEL", other, "DEBUG, INFO, WARNING, ERROR or CRITICAL (or Python's NOTSET, WARN, FATAL)"),
        };
}
