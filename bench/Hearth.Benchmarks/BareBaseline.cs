using Dapper;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// The yardstick: a bare minimal-API app on Kestrel with no auth, no middleware and a hand-written query,
/// doing the same SQLite work as the Hearth route it is compared with. The gap is Hearth's overhead.
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
    public Uri Address => new(_app.Urls.First());

    public static async Task<BareBaseline> StartAsync(string directory)
    {
        // The same SQLite settings as Hearth: WAL, pooled connections, foreign keys, busy retry.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "baseline.db"), ForeignKeys = true, Pooling = true, DefaultTimeout = 30,
        }.ConnectionString;
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.ExecuteAsync("""
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS artifacts (owner_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                    version INTEGER NOT NULL, size INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    updated_by TEXT NOT NULL, PRIMARY KEY (owner_id, key)) WITHOUT ROWID;
                """);
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/users/{id}", async (string id) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var user = await connection.QuerySingleOrDefaultAsync<BareUser>(
                "SELECT id, name, email, role FROM users WHERE id = @id", new { id });
            return user is null ? Results.NotFound() : Results.Json(user);
        });
        MapArtifacts(app, connectionString);
        await app.StartAsync();
        return new BareBaseline(app, connectionString);
    }

    /// <summary>
    /// The artifact routes' database work without Hearth: one autocommit upsert (value and version in one
    /// statement) for a store, one primary-key select for a get. No auth, no validation, no limits.
    /// </summary>
    private static void MapArtifacts(WebApplication app, string connectionString)
    {
        // Writers queue here as Hearth's do (Database.InTransactionAsync): without it, Microsoft.Data.Sqlite meets
        // concurrent writers with 150 ms sleeps and the baseline, not Hearth, would be the slow side.
        var writer = new SemaphoreSlim(1, 1);
        app.MapPost("/artifacts/store", async (BareStoreRequest request) =>
        {
            var value = request.Value.GetRawText();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await writer.WaitAsync();
            try
            {
                return await UpsertAsync(connectionString, request.Key, value, now);
            }
            finally
            {
                writer.Release();
            }
        });
        app.MapGet("/artifacts/get", async (string key) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            var value = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT value FROM artifacts WHERE owner_id = 'bench' AND key = @key", new { key });
            return value is null ? Results.NotFound() : Results.Content(value, "application/json");
        });
    }

    private static async Task<IResult> UpsertAsync(string connectionString, string key, string value, long now)
    {
        await using var connection = new SqliteConnection(connectionString);
        var version = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO artifacts (owner_id, key, value, version, size, created_at, updated_at, updated_by)
            VALUES ('bench', @key, @value, 1, @size, @now, @now, 'bench')
            ON CONFLICT (owner_id, key) DO UPDATE SET value = excluded.value, version = artifacts.version + 1,
                size = excluded.size, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            RETURNING version
            """, new { key, value, size = System.Text.Encoding.UTF8.GetByteCount(value), now });
        return Results.Json(new { success = true, version });
    }

    public async Task<string> InsertUserAsync(string name)
    {
        var id = Guid.NewGuid().ToString();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.ExecuteAsync("INSERT INTO users (id, name, email, role) VALUES (@id, @name, @email, 'user')",
            new { id, name, email = $"{name}@example.com" });
        return id;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record BareUser(string Id, string Name, string Email, string Role);

    private sealed record BareStoreRequest(string Key, string Scope, System.Text.Json.JsonElement Value);
}
