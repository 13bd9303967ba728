using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Access;

/// <summary>
/// <c>access_grants</c>: who may read or write which resource. A resource's grants are replaced as a whole,
/// inside its owner's transaction, as upstream's <c>set_access_grants</c> does.
/// </summary>
internal sealed class AccessGrantStore(Database database)
{
    public static async Task ReplaceAsync(DbConnection connection, DbTransaction transaction, string resourceType, string resourceId,
        IReadOnlyList<AccessGrant> grants, long now)
    {
        await DeleteAsync(connection, transaction, resourceType, resourceId);
        foreach (var grant in grants)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO access_grants (resource_type, resource_id, principal_type, principal_id, permission, created_at)
                VALUES (@resourceType, @resourceId, @PrincipalType, @PrincipalId, @Permission, @now)
                """,
                new { resourceType, resourceId, grant.PrincipalType, grant.PrincipalId, grant.Permission, now }, transaction);
        }
    }

    public static Task DeleteAsync(DbConnection connection, DbTransaction transaction, string resourceType, string resourceId) =>
        connection.ExecuteAsync("DELETE FROM access_grants WHERE resource_type = @resourceType AND resource_id = @resourceId",
            new { resourceType, resourceId }, transaction);

    /// <summary>
    /// Before a user's row goes: the grants that name them, and those on their chats and folders (which go with them).
    /// Their workspace models stay the workspace's, with their grants.
    /// </summary>
    public static Task ForgetUserAsync(DbConnection connection, DbTransaction transaction, string userId) =>
        connection.ExecuteAsync(
            $"""
            DELETE FROM access_grants WHERE (principal_type = 'user' AND principal_id = @userId)
                OR (resource_type = '{Chats.ChatGrants.SharedChat}' AND resource_id IN (SELECT id FROM chats WHERE user_id = @userId))
                OR (resource_type = '{Chats.ChatGrants.Folder}' AND resource_id IN (SELECT id FROM folders WHERE user_id = @userId))
            """, new { userId }, transaction);

    /// <summary>The grants of every resource of <paramref name="resourceType"/>, or of the one named; in the order given.</summary>
    public async Task<ILookup<string, AccessGrant>> OfAsync(string resourceType, string? resourceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ResourceId, string PrincipalType, string PrincipalId, string Permission)>(new CommandDefinition(
            $"""
             SELECT resource_id, principal_type, principal_id, permission FROM access_grants
             WHERE resource_type = @resourceType{(resourceId is null ? "" : " AND resource_id = @resourceId")}
             ORDER BY created_at, principal_type, principal_id, permission
             """, new { resourceType, resourceId }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.ResourceId, r => new AccessGrant(r.PrincipalType, r.PrincipalId, r.Permission));
    }

    /// <summary>Whether a grant on any of <paramref name="resourceIds"/> gives <paramref name="reach"/> the permission.</summary>
    public async Task<bool> ReachesAsync(string resourceType, IReadOnlyCollection<string> resourceIds, AccessReach reach, string permission,
        CancellationToken cancellationToken)
    {
        if (resourceIds.Count == 0)
        {
            return false;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string PrincipalType, string PrincipalId, string Permission)>(new CommandDefinition(
            $"""
             SELECT principal_type, principal_id, permission FROM access_grants
             WHERE resource_type = @resourceType AND {connection.In("resource_id", "@ids")}
             """, new { resourceType, ids = resourceIds.ToArray() }, cancellationToken: cancellationToken));
        return reach.Allows(rows.Select(r => new AccessGrant(r.PrincipalType, r.PrincipalId, r.Permission)), permission);
    }

    /// <summary>
    /// The resources of <paramref name="resourceType"/> whose grants reach <paramref name="reach"/>, each with the
    /// most its grants give (<c>write</c> over <c>read</c>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ReachedAsync(string resourceType, AccessReach reach, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string ResourceId, string PrincipalType, string PrincipalId, string Permission)>(new CommandDefinition(
            $"""
             SELECT resource_id, principal_type, principal_id, permission FROM access_grants
             WHERE resource_type = @resourceType AND ((principal_type = 'user' AND principal_id IN (@userId, '*'))
                OR (principal_type = 'group' AND {connection.In("principal_id", "@groupIds")}))
             """, new { resourceType, userId = reach.UserId, groupIds = reach.GroupIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.ResourceId).ToDictionary(g => g.Key,
            g => g.Any(r => r.Permission == AccessGrant.Write) ? AccessGrant.Write : AccessGrant.Read);
    }

    /// <summary>The ids of the resources of <paramref name="resourceType"/> that have any grant, among <paramref name="resourceIds"/>.</summary>
    public async Task<IReadOnlySet<string>> GrantedAmongAsync(string resourceType, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken)
    {
        if (resourceIds.Count == 0)
        {
            return new HashSet<string>();
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT resource_id FROM access_grants WHERE resource_type = @resourceType AND {connection.In("resource_id", "@ids")}",
            new { resourceType, ids = resourceIds.ToArray() }, cancellationToken: cancellationToken))).ToHashSet();
    }
}
