using Hearth.Server.Artifacts;
using Hearth.Server.Auth;
using Hearth.Server.Common;
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
// Artifact key-value storage: limits, the store, the change feed (LISTEN/NOTIFY on PostgreSQL).
builder.Services.AddArtifacts();
// The OpenAPI document at /openapi/v1.json.
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseHearthErrors();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapVersion();
app.MapHearthAuth();
// /api/artifacts (store, get, list, delete, patch, batch, watch) and the browser storage bridge scripts.
app.MapArtifacts();

app.LogWhereHearthRuns();
app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
