using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Hearth.Server.Auth;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>The caller a bare route serves, as <see cref="BareAuth"/> found them.</summary>
internal sealed record BareUser(string Id, string Name, string Email, string Role);

/// <summary>
/// The bare apps' authentication, doing what Hearth's does for an API key (the credential every benchmark
/// sends): hash the <c>sk-</c> key with SHA-256 and find its user through a cache that keeps an answer as long
/// as Hearth's <see cref="CredentialCache"/> does, loading it on a miss with one join of <c>api_keys</c> and
/// <c>users</c>. So both sides of a pair authenticate every request, with the same caching.
/// </summary>
internal sealed class BareAuth(string connectionString)
{
    private readonly ConcurrentDictionary<string, (BareUser User, DateTimeOffset Until)> _cache = new();

    /// <summary>A route group whose routes all require a key: unauthenticated requests answer 403, unknown keys 401, as Hearth's do.</summary>
    public RouteGroupBuilder Group(IEndpointRouteBuilder app) => app.MapGroup("").AddEndpointFilter(async (context, next) =>
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(new { detail = "Not authenticated" }, statusCode: 403);
        }
        if (await FindAsync(header["Bearer ".Length..].Trim()) is not { } user)
        {
            return Results.Json(new { detail = "Invalid token" }, statusCode: 401);
        }
        context.HttpContext.Items[typeof(BareUser)] = user;
        return await next(context);
    });

    public static BareUser Caller(HttpContext http) => (BareUser)http.Items[typeof(BareUser)]!;

    private async Task<BareUser?> FindAsync(string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = DateTimeOffset.UtcNow;
        if (_cache.TryGetValue(hash, out var entry) && entry.Until > now)
        {
            return entry.User;
        }
        await using var connection = new SqliteConnection(connectionString);
        var user = await connection.QuerySingleOrDefaultAsync<BareUser>(
            "SELECT u.id, u.name, u.email, u.role FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = @hash", new { hash });
        if (user is not null)
        {
            _cache[hash] = (user, now + CredentialCache.Lifetime);
        }
        return user;
    }
}
