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
}
