using Hearth.Server.ArtifactFiles;
using Hearth.Server.Audit;
using Hearth.Server.Auth;
using Hearth.Server.Backups;
using Hearth.Server.Chats;
using Hearth.Server.Chats.Transfer;
using Hearth.Server.Common;
using Hearth.Server.Completions;
using Hearth.Server.Groups;
using Hearth.Server.Hosting;
using Hearth.Server.KeyValue;
using Hearth.Server.Models;
using Hearth.Server.Pages;
using Hearth.Server.Retention;
using Hearth.Server.Storage;
using Hearth.Server.Telemetry;

// --help, --version and a mistyped command are answered before anything starts.
if (CommandLine.Answer(args, Console.Out, Console.Error) is { } answered)
{
    return answered;
}
try
{
    return await ServeAsync(args);
}
catch (Exception failure) when (StartupFailure.HearthIsTheProcess)
{
    // What to fix (a setting, DATA_DIR, the port, the database) in a line or two and exit status 1, not a trace and an abort.
    await Console.Error.WriteLineAsync(StartupFailure.Describe(failure));
    return 1;
}

static async Task<int> ServeAsync(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);

    // Every setting read once up front: a bad value stops Hearth here, naming the setting.
    builder.CheckSettings();
    // PORT, HOST, DATA_DIR, MAX_REQUEST_BODY_SIZE (ASPNETCORE_URLS and --urls still win).
    builder.AddHosting();
    // CORS_ALLOW_ORIGIN, FORWARDED_ALLOW_IPS (trusted reverse proxies) and WEBUI_URL (the public address).
    builder.Services.AddWebAccess();
    // Hearth's messages from Information, ASP.NET Core's per-request lines from Warning; GLOBAL_LOG_LEVEL moves both.
    builder.AddHearthLogging();
    // ENABLE_OTEL (OTLP traces and metrics, Open WebUI's names) and ENABLE_PROMETHEUS_METRICS (/metrics); both off by default.
    builder.AddTelemetry();
    // {"detail": ...} for every error, FastAPI-shaped 422s, snake_case JSON.
    builder.Services.AddErrorAnswers();
    // SQLite or PostgreSQL from DATABASE_URL, migrations at start-up, the /health/db check.
    builder.Services.AddStorage();
    // Users, tokens, API keys, roles and run-time settings.
    builder.Services.AddAuth();
    // AUDIT_LOG_LEVEL: security-relevant actions as JSON lines under DATA_DIR, written off the request's path.
    builder.Services.AddAudit();
    // Chats as message trees, tags, folders, sharing, search and statistics.
    builder.Services.AddChats();
    // Artifact files: blob storage (disk or S3), rows, limits, signed URLs.
    builder.Services.AddArtifactFiles();
    // Model connections, completions saved into chats, tools, and the live event stream.
    builder.Services.AddEvents();
    builder.Services.AddCompletions();
    // Artifact key-value storage: limits, the store, the change feed (LISTEN/NOTIFY on PostgreSQL).
    builder.Services.AddKeyValue();
    // backup, verify and restore: everything Hearth keeps, in one archive.
    builder.Services.AddBackups();
    // Chat retention: admin rules (CHAT_RETENTION_* give the first), a background pass, a dry run.
    builder.Services.AddRetention();
    // The OpenAPI document at /openapi/v1.json, with Hearth's version and its bearer/API-key and cookie schemes.
    builder.Services.AddHearthOpenApi();

    var app = builder.Build();

    // DATA_DIR must be a folder Hearth can write (created when only it is missing), for the commands too.
    app.CheckDataDirectory();

    // `import` and `export` run as commands against the same configuration instead of serving.
    if (TransferCommands.Handles(args))
    {
        return await TransferCommands.RunAsync(app, args);
    }
    // `rebuild-artifacts` recreates the artifact rows from the folders.
    if (ArtifactFileCommands.Handles(args))
    {
        return await ArtifactFileCommands.RunAsync(app, args);
    }

    // `backup`, `verify` and `restore` work on the same configuration.
    if (BackupCommands.Handles(args))
    {
        return await BackupCommands.RunAsync(app, args);
    }

    // Forwarded headers from trusted proxies, then CORS (preflights answered here).
    app.UseWebAccess();
    // Error bodies on the routes OpenAI's SDKs call also carry OpenAI's {"error": {...}}, whoever wrote them.
    app.UseOpenAiErrorBodies();
    app.UseErrorAnswers();
    app.UseAuthentication();
    app.UseAuthorization();
    // Query numbers and flags that do not parse: a 422 naming the value, before the endpoint binds it.
    app.UseMiddleware<QueryValueCheck>();

    app.MapOpenApi().AllowAnonymous();
    // /health (the process serves) and /health/db (the database answers), as Open WebUI names them.
    app.MapHealth();
    app.MapMetrics();
    app.MapVersion();
    app.MapAuth();
    // /api/v1/audit/logs: the audit log for admins, newest first.
    app.MapAudit();
    // /api/v1/groups: groups, their members and permissions (added to the defaults for each member).
    app.MapGroups();
    app.MapChats();
    app.MapFolders();
    // /api/artifacts and /api/conversations/{id}/artifacts: the gallery's list, downloads, previews, uploads.
    app.MapArtifactFiles();
    // /artifacts, /c/{id}, /signin and /assets/*.
    app.MapPages();
    app.MapCompletionRoutes();
    // /api/v1/models: workspace models (a name, params and grants over a connection's model).
    app.MapWorkspaceModels();
    // /api/artifacts (store, get, list, delete, patch, batch, watch) and the browser storage bridge scripts.
    app.MapKeyValue();
    // /api/v1/retention: the rules, the dry run and a pass run now (admins).
    app.MapRetention();

    // The address must be free before the database is touched; then migrations run, before the first request.
    app.CheckAddresses();
    await app.PrepareDatabaseAsync();
    await app.LogWhereHearthRunsAsync();
    await app.RunAsync();
    return 0;
}

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
