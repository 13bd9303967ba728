using Hearth.Server.Auth;

namespace Hearth.Server.Access;

/// <summary>
/// Whom a caller's grants can name: themself, every user (<c>*</c>) and each group they belong to. Write implies
/// read, as the web client always grants both to writers.
/// </summary>
internal sealed record AccessReach(string UserId, IReadOnlySet<string> GroupIds)
{
    public bool Allows(IEnumerable<AccessGrant> grants, string permission) =>
        grants.Any(g => (g.Permission == permission || g.Permission == AccessGrant.Write)
            && (g.PrincipalType == AccessGrant.User ? g.PrincipalId == UserId || g.PrincipalId == AccessGrant.Everyone : GroupIds.Contains(g.PrincipalId)));

    /// <summary>
    /// What a user may grant (Open WebUI's <c>filter_allowed_access_grants</c>): admins anything; others grant to
    /// every user only with the sharing permission named (e.g. <c>sharing.public_models</c>) and to single users
    /// only with <c>access_grants.allow_users</c>. Grants they may not give are dropped, not refused. Without a
    /// <paramref name="publicPermission"/> (folders, as upstream) only admins grant to every user.
    /// </summary>
    public static async Task<IReadOnlyList<AccessGrant>> AllowedAsync(IReadOnlyList<AccessGrant> grants, CurrentUser caller,
        UserPermissions permissions, string? publicPermission, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin || grants.All(g => g.PrincipalType == AccessGrant.Group))
        {
            return grants;
        }
        var mayPublic = publicPermission is not null && await permissions.GrantsAsync(caller, publicPermission, cancellationToken);
        var mayUsers = await permissions.GrantsAsync(caller, "access_grants.allow_users", cancellationToken);
        return grants.Where(g => g.PrincipalType == AccessGrant.Group || (g.IsPublic ? mayPublic : mayUsers)).ToList();
    }
}
