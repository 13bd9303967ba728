using Hearth.Server.Auth;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Chats;

/// <summary>Who may touch which chat: owners, admins while admin chat access is on, and the per-user permissions.</summary>
internal sealed class ChatAccess(ChatStore chats, RuntimeSettings settings, UserPermissions permissions, IOptions<AuthOptions> auth,
    Audit.AdminChatReads adminReads)
{
    public bool AdminChatAccess => auth.Value.EnableAdminChatAccess;
    public bool AdminExport => auth.Value.EnableAdminExport;

    /// <summary>The chat when the caller owns it; otherwise null (missing and foreign look the same).</summary>
    public async Task<ChatRow?> OwnedAsync(string id, CurrentUser caller, CancellationToken cancellationToken) =>
        await chats.GetAsync(id, cancellationToken) is { } row && row.UserId == caller.Id ? row : null;

    /// <summary>The chat when the caller owns it, or is an admin while ENABLE_ADMIN_CHAT_ACCESS is on (see <see cref="Reaches"/>).</summary>
    public async Task<ChatRow?> OwnedOrAdminAsync(string id, CurrentUser caller, CancellationToken cancellationToken) =>
        await chats.GetAsync(id, cancellationToken) is { IsShareSnapshot: false } row && Reaches(row, caller) ? row : null;

    public bool IsOwnerOrAdmin(ChatRow row, CurrentUser caller) => row.UserId == caller.Id || (caller.IsAdmin && AdminChatAccess);

    /// <summary>
    /// <see cref="IsOwnerOrAdmin"/> for a request that goes on to read or write the chat: an admin reaching into another
    /// user's chat is audited here (<see cref="Audit.AdminChatReads"/>), whichever route it came by.
    /// </summary>
    public bool Reaches(ChatRow row, CurrentUser caller)
    {
        if (!IsOwnerOrAdmin(row, caller))
        {
            return false;
        }
        adminReads.Saw(caller, row);
        return true;
    }

    /// <summary>A per-user permission such as <c>chat.delete</c> (defaults and groups); admins always have it.</summary>
    public async Task<bool> MayAsync(CurrentUser caller, string permission, CancellationToken cancellationToken) =>
        caller.IsAdmin || await permissions.GrantsAsync(caller, permission, cancellationToken);

    public async Task<bool> CommunitySharingAsync(CancellationToken cancellationToken) =>
        (await settings.GetConfigAsync(cancellationToken)).EnableCommunitySharing;

    public async Task<bool> PublicSharesAsync(CancellationToken cancellationToken) =>
        (await settings.GetConfigAsync(cancellationToken)).EnablePublicShares;
}
