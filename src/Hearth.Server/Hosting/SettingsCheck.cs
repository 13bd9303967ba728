using Hearth.Server.ArtifactFiles;
using Hearth.Server.Auth;
using Hearth.Server.Completions;
using Hearth.Server.Completions.Tools;
using Hearth.Server.Storage;

namespace Hearth.Server.Hosting;

/// <summary>
/// Reads every Open WebUI-style setting once, before the server is built, so a bad value stops Hearth at
/// once with the message that names it (the same readers bind the options later).
/// </summary>
internal static class SettingsCheck
{
    public static WebApplicationBuilder CheckSettings(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var server = new ServerOptions();
        HostingSetup.MapEnvironment(server, configuration);
        var auth = new AuthOptions();
        AuthOptions.MapEnvironment(auth, configuration);
        Validate(new AuthOptions.Validator().Validate(null, auth));
        DatabaseUrl.Parse(Setting.Raw(configuration, "DATABASE_URL"), server.DataDirFullPath);
        CompletionOptions.MapEnvironment(new CompletionOptions(), configuration);
        PythonExecOptions.MapEnvironment(new PythonExecOptions(), configuration);
        var files = new FileStorageOptions();
        FileStorageOptions.MapEnvironment(files, configuration);
        Validate(new FileStorageOptions.Validator().Validate(null, files));
        TemplateRenderOptions.MapEnvironment(new TemplateRenderOptions(), configuration);
        KeyValue.KvOptions.MapEnvironment(new KeyValue.KvOptions(), configuration);
        _ = new DefaultPermissions(configuration).Initial;
        LoggingSetup.GlobalLevel(configuration);
        WebAccessOptions.MapEnvironment(new WebAccessOptions(), configuration);
        Backups.BackupScheduleOptions.MapEnvironment(new Backups.BackupScheduleOptions(), configuration);
        Telemetry.TelemetryOptions.MapEnvironment(new Telemetry.TelemetryOptions(), configuration);
        Audit.AuditOptions.MapEnvironment(new Audit.AuditOptions(), configuration, server.DataDirFullPath);
        Retention.RetentionOptions.MapEnvironment(new Retention.RetentionOptions(), configuration);
        Chats.Transfer.ImportOptions.MapEnvironment(new Chats.Transfer.ImportOptions(), configuration);
        return builder;
    }

    private static void Validate(Microsoft.Extensions.Options.ValidateOptionsResult result)
    {
        if (result.Failed)
        {
            throw new StartupProblem(result.FailureMessage);
        }
    }
}
