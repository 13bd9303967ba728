using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

/// <summary>
/// The built-in admin that every request acts as when <c>WEBUI_AUTH=false</c>: a real row, so whatever it
/// creates is owned like anyone else's data and survives switching sign-in on later.
/// </summary>
internal sealed class SingleUser(Database database, TimeProvider clock)
{
    public const string Id = "00000000-0000-4000-8000-000000000001";
    public const string Email = "admin@localhost";
    private UserRow? _user;

    public async Task<UserRow> GetAsync(CancellationToken cancellationToken)
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
