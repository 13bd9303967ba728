using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Groups;

/// <summary>
/// Groups and their members (<c>user_groups</c>, <c>group_members</c>). Each change is one statement or one
/// transaction; members are users that exist (unknown ids are skipped, as upstream), and a deleted user leaves
/// every group by the foreign key.
/// </summary>
internal sealed class GroupStore(Database database, TimeProvider clock)
{
    private const string Select =
        """
        SELECT g.id, g.user_id, g.name, g.description, g.permissions, g.data, g.meta, g.created_at, g.updated_at,
            (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count
        FROM user_groups g
        """;

    /// <summary>Every group, or those <paramref name="memberId"/> belongs to; the most recently changed first.</summary>
    public async Task<IReadOnlyList<GroupRow>> ListAsync(string? memberId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = memberId is null ? "" : " WHERE g.id IN (SELECT group_id FROM group_members WHERE user_id = @memberId)";
        return (await connection.QueryAsync<GroupRow>(new CommandDefinition(
            $"{Select}{where} ORDER BY g.updated_at DESC, g.id", new { memberId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<GroupRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<GroupRow>(new CommandDefinition(
            $"{Select} WHERE g.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<GroupRow> CreateAsync(string creatorId, GroupForm form, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var id = Guid.NewGuid().ToString();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO user_groups (id, user_id, name, description, permissions, data, meta, created_at, updated_at)
                VALUES (@id, @creatorId, @Name, @Description, @permissions, @data, NULL, @now, @now)
                """,
                new { id, creatorId, form.Name, form.Description, permissions = form.Permissions?.ToJsonString(), data = form.Data?.ToJsonString(), now },
                cancellationToken: cancellationToken));
        }
        return (await GetAsync(id, cancellationToken))!;
    }

    /// <summary>Renames and describes the group; permissions and data change only when posted (upstream drops nulls).</summary>
    public async Task<GroupRow?> UpdateAsync(string id, GroupForm form, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE user_groups SET name = @Name, description = @Description,
                    permissions = COALESCE(@permissions, permissions), data = COALESCE(@data, data), updated_at = @now
                WHERE id = @id
                """,
                new
                {
                    id, form.Name, form.Description, permissions = form.Permissions?.ToJsonString(), data = form.Data?.ToJsonString(),
                    now = clock.GetUtcNow().ToUnixTimeSeconds()
                },
                cancellationToken: cancellationToken));
            if (changed == 0)
            {
                return null;
            }
        }
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Adds the users among <paramref name="userIds"/> that exist; null when the group does not.</summary>
    public Task<GroupRow?> AddMembersAsync(string id, IReadOnlyList<string> userIds, CancellationToken cancellationToken) =>
        ChangeMembersAsync(id, userIds,
            """
            INSERT INTO group_members (group_id, user_id, created_at)
            SELECT @id, u.id, @now FROM users u WHERE {0}
            ON CONFLICT (group_id, user_id) DO NOTHING
            """, cancellationToken);

    public Task<GroupRow?> RemoveMembersAsync(string id, IReadOnlyList<string> userIds, CancellationToken cancellationToken) =>
        ChangeMembersAsync(id, userIds, "DELETE FROM group_members WHERE group_id = @id AND {0}", cancellationToken, "user_id");

    private async Task<GroupRow?> ChangeMembersAsync(string id, IReadOnlyList<string> userIds, string sql,
        CancellationToken cancellationToken, string column = "u.id")
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var found = await database.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteAsync("UPDATE user_groups SET updated_at = @now WHERE id = @id", new { id, now }, transaction) == 0)
            {
                return false;
            }
            if (userIds.Count > 0)
            {
                await connection.ExecuteAsync(string.Format(sql, connection.In(column, "@ids")),
                    new { id, now, ids = userIds.Distinct().ToArray() }, transaction);
            }
            return true;
        }, cancellationToken);
        return found ? await GetAsync(id, cancellationToken) : null;
    }

    /// <summary>Deletes the group, its memberships and every access grant naming it; false when it does not exist.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "DELETE FROM access_grants WHERE principal_type = 'group' AND principal_id = @id", new { id }, transaction);
            return await connection.ExecuteAsync("DELETE FROM user_groups WHERE id = @id", new { id }, transaction) > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> MemberIdsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT user_id FROM group_members WHERE group_id = @id ORDER BY created_at, user_id", new { id },
            cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<GroupMemberResponse>> MembersAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<GroupMemberResponse>(new CommandDefinition(
            """
            SELECT u.id, u.name, u.email, u.role, u.profile_image_url FROM group_members m JOIN users u ON u.id = m.user_id
            WHERE m.group_id = @id ORDER BY u.name, u.id
            """, new { id }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The groups <paramref name="userId"/> belongs to: ids, names and permissions, in one query.</summary>
    public async Task<IReadOnlyList<Membership>> MembershipsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Membership>(new CommandDefinition(
            """
            SELECT g.id, g.name, g.permissions FROM group_members m JOIN user_groups g ON g.id = m.group_id
            WHERE m.user_id = @userId ORDER BY g.updated_at DESC, g.id
            """, new { userId }, cancellationToken: cancellationToken))).AsList();
    }
}

/// <summary>A group as its member's permissions and grants need it.</summary>
internal sealed record Membership(string Id, string Name, string? Permissions);
