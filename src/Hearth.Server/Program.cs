using Hearth.Server.Auth;
using Hearth.Server.Chats;
using Hearth.Server.Chats.Transfer;
using Hearth.Server.Common;
using Hearth.Server.Completions;
using Hearth.Server.Hosting;
using Hearth.Server.Storage;

var builder = WebApplication.CreateBuilder(args);

// PORT, HOST, DATA_DIR, MAX_REQUEST_BODY_SIZE (ASPNETCORE_URLS and --urls still win).
builder.AddHearthHosting();
// {"detail": ...} for every error, FastAPI-shaped 422s, snake_case JSON.
builder.Services.AddHearthErrors();
// SQLite or PostgreSQL from DATABASE_URL, migrations at start-up, the /health check.
builder.Services.AddHearthStorage();
// Users, tokens, API keys, roles and run-time settings.
builder.Services.AddHearthAuth();
// Chats as message trees, tags, folders, sharing, search and statistics.
builder.Services.AddChats();
// Model connections, completions saved into chats, tools, and the live event stream.
builder.Services.AddEvents();
builder.Services.AddCompletions();
// The OpenAPI document at /openapi/v1.json.
builder.Services.AddOpenApi();

var app = builder.Build();

// `import` and `export` run as commands against the same configuration instead of serving.
if (TransferCommands.Handles(args))
{
    return await TransferCommands.RunAsync(app, args);
}

app.UseHearthErrors();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapVersion();
app.MapHearthAuth();
app.MapChats();
app.MapFolders();
app.MapCompletionRoutes();

app.LogWhereHearthRuns();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
