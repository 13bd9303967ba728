using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Auth;

internal sealed class UserStore(Database database, ChatDeletions deletions, CredentialCache cache)
{
    private const string Columns =
        "id, name, email, role, profile_image_url, password_hash, is_first_user, last_active_at, created_at, updated_at";

    public static readonly string[] SortableColumns = ["name", "email", "role", "created_at", "updated_at", "last_active_at"];

    /// <summary>Whether any account exists (before the first sign-up, none does).</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM users)", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Inserts <paramref name="user"/>. The very first user becomes the admin (and <paramref name="onFirstUser"/>
    /// runs in the same transaction); later users need <paramref name="signupOpen"/>.
    /// </summary>
    public async Task<(Registration Outcome, UserRow? User)> RegisterAsync(UserRow user, bool signupOpen,
        Func<DbConnection, DbTransaction, Task>? onFirstUser, CancellationToken cancellationToken) =>
        await database.InTransactionAsync<(Registration, UserRow?)>(async (connection, transaction) =>
        {
            await connection.SerializeAsync(transaction, "users.register");
            var anyUser = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) t",
                transaction: transaction) > 0;
            if (anyUser && !signupOpen)
            {
                return (Registration.SignupClosed, null);
            }
            var taken = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email = @Email",
                new { user.Email }, transaction) > 0;
            if (taken)
            {
                return (Registration.EmailTaken, null);
            }
            var row = anyUser ? user : Promote(user);
            await connection.ExecuteAsync(
                $"INSERT INTO users ({Columns}) VALUES (@Id, @Name, @Email, @Role, @ProfileImageUrl, @PasswordHash, @IsFirstUser, @LastActiveAt, @CreatedAt, @UpdatedAt)",
                row, transaction);
            if (!anyUser && onFirstUser is not null)
            {
                await onFirstUser(connection, transaction);
            }
            return (Registration.Created, row);
        }, cancellationToken);

    private static UserRow Promote(UserRow user) => new()
    {
        Id = user.Id, Name = user.Name, Email = user.Email, Role = Roles.Admin, ProfileImageUrl = user.ProfileImageUrl,
        PasswordHash = user.PasswordHash, IsFirstUser = true, LastActiveAt = user.LastActiveAt,
        CreatedAt = user.CreatedAt, UpdatedAt = user.UpdatedAt,
    };

    public async Task<UserRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(
            new CommandDefinition($"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Whether any account exists yet (none: the next to sign up becomes the admin).</summary>
    public async Task<UserRow?> GetByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(
            new CommandDefinition($"SELECT {Columns} FROM users WHERE email = @email", new { email }, cancellationToken: cancellationToken));
    }

    /// <param name="withoutPending">Leaves out accounts still waiting for an admin's approval.</param>
    public async Task<(IReadOnlyList<UserRow> Users, long Total)> ListAsync(string? query, string orderBy, bool descending,
        int skip, int limit, CancellationToken cancellationToken, bool withoutPending = false)
    {
        if (!SortableColumns.Contains(orderBy))
        {
            throw new ArgumentOutOfRangeException(nameof(orderBy));
        }
        var conditions = new List<string>();
        if (!string.IsNullOrEmpty(query))
        {
            conditions.Add("(lower(name) LIKE @pattern OR email LIKE @pattern)");
        }
        if (withoutPending)
        {
            conditions.Add("role <> 'pending'");
        }
        var filter = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var args = new { pattern = $"%{query?.ToLowerInvariant()}%", skip, limit };
        await using var connection = await database.OpenAsync(cancellationToken);
        var users = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users {filter} ORDER BY {orderBy} {(descending ? "DESC" : "ASC")}, id LIMIT @limit OFFSET @skip",
            args, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM users {filter}", args, cancellationToken: cancellationToken));
        return (users.ToList(), total);
    }

    /// <summary>
    /// Applies <paramref name="changes"/>. A role below admin for the last admin is refused, checked in the writing
    /// transaction under the lock every admin-removing change takes (<see cref="IsLastAdminAsync"/>).
    /// </summary>
    public async Task<UserUpdate> UpdateAsync(string id, UserChanges changes, CancellationToken cancellationToken)
    {
        cache.Clear();
        try
        {
            var outcome = await database.InTransactionAsync(async (connection, transaction) =>
            {
                if (changes.Role is not null && changes.Role != Roles.Admin && await IsLastAdminAsync(connection, transaction, id))
                {
                    return UserUpdate.LastAdmin;
                }
                await connection.ExecuteAsync(
                    """
                    UPDATE users SET name = COALESCE(@Name, name), email = COALESCE(@Email, email), role = COALESCE(@Role, role),
                        profile_image_url = COALESCE(@ProfileImageUrl, profile_image_url),
                        password_hash = COALESCE(@PasswordHash, password_hash),
                        last_active_at = COALESCE(@LastActiveAt, last_active_at), updated_at = COALESCE(@UpdatedAt, updated_at)
                    WHERE id = @Id
                    """,
                    new
                    {
                        Id = id, changes.Name, changes.Email, changes.Role, changes.ProfileImageUrl, changes.PasswordHash,
                        changes.LastActiveAt, changes.UpdatedAt
                    }, transaction);
                return UserUpdate.Updated;
            }, cancellationToken);
            cache.Clear();
            return outcome;
        }
        catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
        {
            return UserUpdate.EmailTaken;
        }
    }

    /// <summary>
    /// Removes the user; their chats are deleted, sessions, keys and everything else they own go with them (foreign
    /// keys cascade), and their chats' data outside the database (artifact files) afterwards. A deadlock with a write
    /// of theirs racing the deletion (AGENTS.md, "Lock order") is broken by PostgreSQL and the loser is run again.
    /// The last admin is refused (checked in
    /// the deleting transaction, see <see cref="IsLastAdminAsync"/>), so two admins deleting each other, or leaving,
    /// at once cannot both go.
    /// </summary>
    public async Task<UserRemoval> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        cache.Clear();
        var (outcome, chatIds) = await TransactionRetry.RunAsync(() => Chats.ChatChange.RunAsync(database, async change =>
        {
            if (await IsLastAdminAsync(change.Connection, change.Transaction, id))
            {
                return (UserRemoval.LastAdmin, new List<string>());
            }
            var (deleted, chatIds) = await RemoveAsync(change, id);
            return (deleted ? UserRemoval.Deleted : UserRemoval.NotFound, chatIds);
        }, cancellationToken));
        cache.Clear();
        await deletions.DeletedAsync(chatIds, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Whether <paramref name="id"/> is an admin and no other is: the one check before anything takes a user's admin
    /// role away (a demotion, a deletion by an admin or by themself). It takes a lock all of them take first, so
    /// they run one after another and each sees what the one before it committed; on SQLite write transactions
    /// already do.
    /// </summary>
    private static async Task<bool> IsLastAdminAsync(DbConnection connection, DbTransaction transaction, string id)
    {
        await connection.SerializeAsync(transaction, "hearth-admin-accounts");
        var role = await connection.ExecuteScalarAsync<string?>("SELECT role FROM users WHERE id = @id", new { id }, transaction);
        return role == Roles.Admin && await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE role = @admin AND id <> @id", new { id, admin = Roles.Admin }, transaction) == 0;
    }

    /// <summary>
    /// Deletes the user and everything of theirs, taking the lock order's places (AGENTS.md): their chats, their
    /// row, their chats again, their folders, then the list version. Once the row is locked no chat of theirs can be
    /// made (a new chat key-shares the row first), so the second pass locks the chats made while the deletion waited
    /// for the row, and nothing can write to any of them (a share grant, say) between the grants' removal and the
    /// chats' delete. The chats' delete returns the ids whose files go after commit. Grants have no key to what they
    /// name, so those naming the user or their chats and folders are removed here; the rest cascades from the row.
    /// </summary>
    private static async Task<(bool Deleted, List<string> ChatIds)> RemoveAsync(Chats.ChatChange change, string id)
    {
        var (connection, transaction) = (change.Connection, change.Transaction);
        await change.LockAllAsync("user_id = @id", new { id });
        if (await connection.QuerySingleOrDefaultAsync<string>($"SELECT id FROM users WHERE id = @id{connection.ForUpdate(keys: true)}", new { id }, transaction) is null)
        {
            return (false, []);
        }
        await change.LockAllAsync("user_id = @id", new { id });
        await connection.ExecuteAsync($"SELECT id FROM folders WHERE user_id = @id ORDER BY id{connection.ForUpdate(keys: true)}", new { id }, transaction);
        var chatIds = await change.DeleteAsync("user_id = @id", new { id });
        await Access.AccessGrantStore.ForgetUserAsync(connection, transaction, id);
        await connection.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id }, transaction);
        await change.ForgetUserAsync(id);
        return (true, chatIds);
    }
}
