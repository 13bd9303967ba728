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
                CREATE TABLE IF NOT EXISTS user_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL, permissions TEXT NULL, updated_at INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS group_members (group_id TEXT NOT NULL REFERENCES user_groups (id), user_id TEXT NOT NULL REFERENCES users (id),
                    PRIMARY KEY (group_id, user_id));
                CREATE INDEX IF NOT EXISTS group_members_user_idx ON group_members (user_id, group_id);
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
            // permissions as JSON: the defaults (cached by Hearth too, and copied per request) with those of the
            // caller's groups added, which Hearth reads from the database on every request (there are none).
            api.MapGet("/auths/", async (HttpContext http) =>
            {
                var user = BareAuth.Caller(http);
                var permissions = (JsonObject)baseline!.Permissions.DeepClone();
                await using (var connection = new SqliteConnection(connectionString))
                {
                    foreach (var granted in await connection.QueryAsync<string?>(
                                 """
                                 SELECT g.permissions FROM group_members m JOIN user_groups g ON g.id = m.group_id
                                 WHERE m.user_id = @userId ORDER BY g.updated_at DESC, g.id
                                 """, new { userId = user.Id }))
                    {
                        if (granted is not null && JsonNode.Parse(granted) is JsonObject added)
                        {
                            Hearth.Server.Auth.DefaultPermissions.Combine(permissions, added);
                        }
                    }
                }
                return Results.Json(new
                {
                    token = (string?)null, token_type = "Bearer", expires_at = (long?)null, user.Id, user.Email, user.Name, user.Role,
                    profile_image_url = "", permissions,
                });
            });
            MapKeyValue(api, connectionString);
        });
        baseline = new BareBaseline(app, connectionString);
        return baseline;
    }

    /// <summary>
    /// The artifact routes' database work without Hearth's rules: for a store, the body parsed and one autocommit
    /// upsert (value and version in one statement); for a get, one primary-key select of the artifact's columns
    /// and the answer Hearth gives (the artifact as JSON, its value written as stored, ISO times, the ETag). No
    /// validation, no limits.
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
            var row = await connection.QuerySingleOrDefaultAsync<BareArtifactRow>(
                "SELECT key, value, version, size, created_at, updated_at, updated_by FROM artifacts WHERE owner_id = @owner AND key = @key",
                new { owner = BareAuth.Caller(http).Id, key });
            if (row is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.ETag = $"\"{row.Version}\"";
            return Results.Json(new BareArtifact(row.Key, "personal", new BareRawValue(row.Value), row.Version, row.Size,
                Hearth.Server.KeyValue.KvResponse.Timestamp(row.CreatedAt), Hearth.Server.KeyValue.KvResponse.Timestamp(row.UpdatedAt), row.UpdatedBy), ArtifactJson);
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

    private sealed class BareArtifactRow
    {
        public string Key { get; set; } = "";
        public string Value { get; set; } = "";
        public long Version { get; set; }
        public long Size { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }
        public string UpdatedBy { get; set; } = "";
    }

    private sealed record BareArtifact(string Key, string Scope, BareRawValue Value, long Version, long Size, string CreatedAt, string UpdatedAt, string UpdatedBy);

    /// <summary>A stored JSON value, written into the answer as it is, as Hearth writes it.</summary>
    private sealed record BareRawValue(string Json);

    private sealed class BareRawValueConverter : System.Text.Json.Serialization.JsonConverter<BareRawValue>
    {
        public override BareRawValue Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(System.Text.Json.Utf8JsonWriter writer, BareRawValue value, System.Text.Json.JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: true);
    }

    private static readonly System.Text.Json.JsonSerializerOptions ArtifactJson = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower, Converters = { new BareRawValueConverter() },
    };
}
