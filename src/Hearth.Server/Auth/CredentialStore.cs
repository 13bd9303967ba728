using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

/// <summary>Sign-in sessions (one per issued token, so tokens can be revoked) and hashed API keys.</summary>
internal sealed class CredentialStore(Database database, CredentialCache cache, TimeProvider clock)
{
    private const string UserColumns =
        "u.id, u.name, u.email, u.role, u.profile_image_url, u.password_hash, u.is_first_user, u.last_active_at, u.created_at, u.updated_at";

    /// <summary>
    /// Records a new session and clears the user's expired ones. The insert goes first: its key takes the user's row
    /// before any session row, the order a deletion of the user takes them in (AGENTS.md, "Lock order").
    /// </summary>
    /// <returns>False, with nothing written, when the user was deleted since they were read (the session's key fails).</returns>
    public async Task<bool> CreateSessionAsync(string userId, string sessionId, long? expiresAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES (@sessionId, @userId, @now, @expiresAt);
                DELETE FROM auth_sessions WHERE user_id = @userId AND expires_at IS NOT NULL AND expires_at < @now AND id <> @sessionId;
                """, new { userId, sessionId, now, expiresAt }, cancellationToken: cancellationToken));
            return true;
        }
        catch (System.Data.Common.DbException e) when (SqlDialect.IsForeignKeyViolation(e))
        {
            return false;
        }
    }

    /// <summary>The user behind a live session, in one primary-key lookup.</summary>
    public Task<UserRow?> FindBySessionAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync($"session:{sessionId}:{userId}", () => LoadBySessionAsync(userId, sessionId, cancellationToken));

    private async Task<UserRow?> LoadBySessionAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = @sessionId AND s.user_id = @userId",
            new { userId, sessionId }, cancellationToken: cancellationToken));
    }

    public async Task DeleteSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        cache.Clear();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM auth_sessions WHERE id = @sessionId", new { sessionId }, cancellationToken: cancellationToken));
        cache.Clear();
    }

    /// <summary>Revokes every token of the user except <paramref name="keepSessionId"/>.</summary>
    public async Task RevokeSessionsAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        cache.Clear();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM auth_sessions WHERE user_id = @userId AND id <> @keep",
            new { userId, keep = keepSessionId ?? "" }, cancellationToken: cancellationToken));
        cache.Clear();
    }

    public Task<UserRow?> FindByApiKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        cache.GetOrLoadAsync($"key:{keyHash}", () => LoadByApiKeyAsync(keyHash, cancellationToken));

    private async Task<UserRow?> LoadByApiKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = @keyHash",
            new { keyHash }, cancellationToken: cancellationToken));
    }

    /// <summary>Creates the user's key, replacing an earlier one.</summary>
    /// <returns>When it was created (Unix seconds), as GET answers it later.</returns>
    public async Task<long> SetApiKeyAsync(string userId, string keyHash, string display, CancellationToken cancellationToken)
    {
        cache.Clear();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_keys (user_id, key_hash, display, created_at) VALUES (@userId, @keyHash, @display, @now)
            ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, display = excluded.display, created_at = excluded.created_at
            """, new { userId, keyHash, display, now }, cancellationToken: cancellationToken));
        cache.Clear();
        return now;
    }

    public async Task<(string Display, long CreatedAt)?> GetApiKeyAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Display, long CreatedAt)>(new CommandDefinition(
            "SELECT display, created_at FROM api_keys WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> DeleteApiKeyAsync(string userId, CancellationToken cancellationToken)
    {
        cache.Clear();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_keys WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken)) > 0;
        cache.Clear();
        return changed;
    }
}
