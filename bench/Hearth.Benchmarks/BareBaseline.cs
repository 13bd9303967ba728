using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// The yardstick: a bare minimal-API app on Kestrel with hand-written SQL on its own SQLite file, doing the
/// same work as the Hearth route it is compared with, authentication included (<see cref="BareAuth"/>, with
/// Hearth's caching). The gap is Hearth's overhead. Each route says what "the same work" is.
/// </summary>
internal sealed class BareBaseline : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareBaseline(WebApplication app, string connectionString)
    {
        _app = app;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }
    public Uri Address => BareSqlApp.AddressOf(_app);

    /// <summary>What GET /auths/ answers as the caller's permissions: Hearth's defaults, copied in by the auth benchmark.</summary>
    public JsonObject Permissions { get; set; } = new();

    public static async Task<BareBaseline> StartAsync(string directory)
    {
        var connectionString = BareSqlApp.ConnectionString(Path.Combine(directory, "baseline.db"));
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.ExecuteAsync("""
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS api_keys (key_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id));
                CREATE TABLE IF NOT EXISTS artifacts (owner_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                    version INTEGER NOT NULL, size INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    updated_by TEXT NOT NULL, PRIMARY KEY (owner_id, key)) WITHOUT ROWID;
                """);
        }
        BareBaseline? baseline = null;
        var app = await BareSqlApp.StartAsync(connectionString, (api, anonymous) =>
        {
            // GET /api/version's work: a constant JSON answer, no credentials, no database.
            anonymous.MapGet("/version", () => Results.Json(new { version = "bench" }));
            // GET /api/v1/auths/'s work with an API key: the cached key lookup, then the caller and their
            // permissions (Hearth's are cached too, and copied per request) as JSON.
            api.MapGet("/auths/", (HttpContext http) =>
            {
                var user = BareAuth.Caller(http);
                return Results.Json(new
                {
                    token = (string?)null, token_type = "Bearer", expires_at = (long?)null, user.Id, user.Email, user.Name, user.Role,
                    profile_image_url = "", permissions = baseline!.Permissions.DeepClone(),
                });
            });
            MapKeyValue(api, connectionString);
        });
        baseline = new BareBaseline(app, connectionString);
        return baseline;
    }

    /// <summary>
    /// The artifact routes' database work without Hearth's rules: for a store, the body parsed and one autocommit
    /// upsert (value and version in one statement); for a get, one primary-key select. No validation, no limits.
    /// </summary>
    private static void MapKeyValue(RouteGroupBuilder api, string connectionString)
    {
        // Writers queue here as Hearth's do (Database.InTransactionAsync): without it, Microsoft.Data.Sqlite meets
        // concurrent writers with 150 ms sleeps and the baseline, not Hearth, would be the slow side.
        var writer = new SemaphoreSlim(1, 1);
        api.MapPost("/artifacts/store", async (BareStoreRequest request, HttpContext http) =>
        {
            var value = request.Value.GetRawText();
            var owner = BareAuth.Caller(http).Id;
            await writer.WaitAsync();
            try
            {
                await using var connection = new SqliteConnection(connectionString);
                var version = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO artifacts (owner_id, key, value, version, size, created_at, updated_at, updated_by)
                    VALUES (@owner, @key, @value, 1, @size, @now, @now, @owner)
                    ON CONFLICT (owner_id, key) DO UPDATE SET value = excluded.value, version = artifacts.version + 1,
                        size = excluded.size, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    RETURNING version
                    """, new { owner, key = request.Key, value, size = Encoding.UTF8.GetByteCount(value), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
                return Results.Json(new { success = true, version });
            }
            finally
            {
                writer.Release();
            }
        });
        api.MapGet("/artifacts/get", async (string key, HttpContext http) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var value = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT value FROM artifacts WHERE owner_id = @owner AND key = @key", new { owner = BareAuth.Caller(http).Id, key });
            return value is null ? Results.NotFound() : Results.Content(value, "application/json");
        });
    }

    /// <summary>Adds the user and the hash of their API key, so the bare app accepts the key the Hearth side uses.</summary>
    public async Task AddUserAsync(BenchUser user, string name)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO users (id, name, email, role) VALUES (@id, @name, @email, 'user');
            INSERT INTO api_keys (key_hash, user_id) VALUES (@hash, @id);
            """, new { id = user.Id, name, email = $"{name}@example.com", hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.Key))) });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record BareStoreRequest(string Key, string Scope, System.Text.Json.JsonElement Value);
}
