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
        await app.StartAsync();
        return new BareBaseline(app, connectionString);
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
}
