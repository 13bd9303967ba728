using System.Text.Json.Nodes;
using Hearth.Server.Groups;

namespace Hearth.Server.Auth;

/// <summary>
/// A user's effective permissions: the default permissions with the permissions of every group they belong to
/// added (<see cref="DefaultPermissions.Combine"/>). Every permission check goes through here.
/// </summary>
internal sealed class UserPermissions(RuntimeSettings settings, GroupStore groups)
{
    public async Task<JsonObject> OfAsync(string userId, CancellationToken cancellationToken)
    {
        var permissions = await settings.GetPermissionsAsync(cancellationToken);
        foreach (var group in await groups.MembershipsAsync(userId, cancellationToken))
        {
            if (GroupResponse.Parse(group.Permissions) is { } granted)
            {
                DefaultPermissions.Combine(permissions, granted);
            }
        }
        return permissions;
    }

    /// <summary>
    /// Whether <paramref name="permission"/> (e.g. <c>chat.delete</c>) is granted; admins always. The groups are
    /// read only when the defaults refuse, since a group can add a permission but never take one away.
    /// </summary>
    public async Task<bool> GrantsAsync(string userId, string role, string permission, CancellationToken cancellationToken) =>
        await settings.DefaultsGrantAsync(role, permission, cancellationToken)
        || DefaultPermissions.Grants(await OfAsync(userId, cancellationToken), role, permission);

    /// <summary>Whom access grants reach for this user: themself, everyone, and their groups.</summary>
    public async Task<Access.AccessReach> ReachAsync(string userId, CancellationToken cancellationToken) =>
        new(userId, (await groups.MembershipsAsync(userId, cancellationToken)).Select(g => g.Id).ToHashSet());

    public Task<bool> GrantsAsync(CurrentUser caller, string permission, CancellationToken cancellationToken) =>
        GrantsAsync(caller.Id, caller.Role, permission, cancellationToken);
}
