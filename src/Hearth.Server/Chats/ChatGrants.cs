using Hearth.Server.Access;
using Hearth.Server.Auth;

namespace Hearth.Server.Chats;

/// <summary>
/// Who may read a chat they do not own (Open WebUI 0.11): a <c>shared_chat</c> grant on the chat (keyed by the
/// chat's id, as upstream), or a <c>folder</c> grant on its folder or one of that folder's ancestors. Grants are
/// read on every request, so a revoked one stops access at once.
/// </summary>
internal sealed class ChatGrants(ChatStore chats, ChatAccess access, AccessGrantStore grants, FolderStore folders, UserPermissions permissions)
{
    public const string SharedChat = "shared_chat";
    public const string Folder = "folder";

    /// <summary>
    /// The chat when the caller owns it, is an admin with admin chat access (audited: <see cref="ChatAccess.Reaches"/>),
    /// or a grant lets them read it.
    /// </summary>
    public async Task<ChatRow?> ReadableAsync(string id, CurrentUser caller, CancellationToken cancellationToken)
    {
        if (await chats.GetAsync(id, cancellationToken) is not { IsShareSnapshot: false } row)
        {
            return null;
        }
        return access.Reaches(row, caller) || await GrantedAsync(row, caller, cancellationToken) ? row : null;
    }

    /// <summary>Whether a grant (on the chat or on its folder tree) lets a signed-in, approved caller read it.</summary>
    public async Task<bool> GrantedAsync(ChatRow row, CurrentUser caller, CancellationToken cancellationToken)
    {
        if (caller.Role is not (Roles.User or Roles.Admin))
        {
            return false;
        }
        var reach = await permissions.ReachAsync(caller.Id, cancellationToken);
        return await grants.ReachesAsync(SharedChat, [row.Id], reach, AccessGrant.Read, cancellationToken)
            || (row.FolderId is { } folderId && await FolderReachesAsync(folderId, reach, AccessGrant.Read, cancellationToken));
    }

    /// <summary>Whether a grant on the chat itself lets the caller read it (what opens its share link).</summary>
    public async Task<bool> ShareGrantedAsync(string chatId, CurrentUser caller, CancellationToken cancellationToken) =>
        caller.Role is Roles.User or Roles.Admin
        && await grants.ReachesAsync(SharedChat, [chatId], await permissions.ReachAsync(caller.Id, cancellationToken), AccessGrant.Read, cancellationToken);

    /// <summary>
    /// What the caller may do in a folder: <c>write</c> for its owner (and an admin with admin chat access),
    /// else the most a grant on it or an ancestor gives, or null.
    /// </summary>
    public async Task<string?> FolderPermissionAsync(FolderRow folder, CurrentUser caller, CancellationToken cancellationToken)
    {
        if (OwnsOrAdministers(folder, caller))
        {
            return AccessGrant.Write;
        }
        if (caller.Role is not (Roles.User or Roles.Admin))
        {
            return null;
        }
        var reach = await permissions.ReachAsync(caller.Id, cancellationToken);
        var chain = await AncestryAsync(folder.Id, cancellationToken);
        return await grants.ReachesAsync(Folder, chain, reach, AccessGrant.Write, cancellationToken) ? AccessGrant.Write
            : await grants.ReachesAsync(Folder, chain, reach, AccessGrant.Read, cancellationToken) ? AccessGrant.Read
            : null;
    }

    /// <summary>Whether the caller owns the folder or is an admin with admin chat access (who may say who else may use it).</summary>
    public bool OwnsOrAdministers(FolderRow folder, CurrentUser caller) => folder.UserId == caller.Id || (caller.IsAdmin && access.AdminChatAccess);

    private async Task<bool> FolderReachesAsync(string folderId, AccessReach reach, string permission, CancellationToken cancellationToken) =>
        await grants.ReachesAsync(Folder, await AncestryAsync(folderId, cancellationToken), reach, permission, cancellationToken);

    /// <summary>The folder and its ancestors (a grant on a folder reaches its subfolders); a loop ends the walk.</summary>
    private async Task<IReadOnlyList<string>> AncestryAsync(string folderId, CancellationToken cancellationToken)
    {
        var chain = new List<string>();
        for (string? id = folderId; id is not null && !chain.Contains(id);)
        {
            chain.Add(id);
            id = (await folders.GetAnyAsync(id, cancellationToken))?.ParentId;
        }
        return chain;
    }
}
