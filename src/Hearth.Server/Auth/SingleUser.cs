using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

/// <summary>
/// The built-in admin of <c>WEBUI_AUTH=false</c>, as in Open WebUI 0.11: signing in with any (or empty) credentials
/// gives its token, and requests still need that token. A real row, so whatever it creates is owned like anyone
/// else's data and survives switching sign-in on later.
/// </summary>
internal sealed class SingleUser(Database database, TimeProvider clock)
{
    public const string Id = "00000000-0000-4000-8000-000000000001";
    public const string Email = "admin@localhost";
    private UserRow? _user;

    /// <summary>
    /// The account to sign in as: the built-in admin, made on first use while no account exists. Null when other
    /// accounts exist and it does not (authentication cannot be switched off over someone's data).
    /// </summary>
    public async Task<UserRow?> ForSigninAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var (builtIn, others) = await connection.QuerySingleAsync<(bool, bool)>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM users WHERE id = @Id), EXISTS (SELECT 1 FROM users WHERE id <> @Id)",
                new { Id }, cancellationToken: cancellationToken));
            if (!builtIn && others)
            {
                return null;
            }
        }
        return await GetAsync(cancellationToken);
    }

    private async Task<UserRow> GetAsync(CancellationToken cancellationToken)
    {
        if (_user is not null)
        {
            return _user;
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, name, email, role, profile_image_url, password_hash, is_first_user, last_active_at, created_at, updated_at)
            VALUES (@Id, 'User', @Email, 'admin', '/user.png', NULL, @first, @now, @now, @now)
            ON CONFLICT DO NOTHING
            """, new { Id, Email, now, first = false }, cancellationToken: cancellationToken));
        _user = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(
            "SELECT id, name, email, role, profile_image_url, is_first_user, last_active_at, created_at, updated_at FROM users WHERE id = @Id",
            new { Id }, cancellationToken: cancellationToken));
        return _user;
    }
}
