using Hearth.Server.Auth;
using Hearth.Server.Chats;

namespace Hearth.Server.Files;

/// <summary>
/// What a caller may do with a conversation's artifacts. <paramref name="Chat"/> is the real chat (a share's
/// original); <paramref name="ViaId"/> the id the caller named; <paramref name="VisibleUntil"/> limits a share to
/// the files that existed when it was made (unix ms).
/// </summary>
internal sealed record ConversationGrant(ChatRow Chat, string ViaId, bool CanWrite, long? VisibleUntil);

/// <summary>The chats API's access rules applied to artifacts: owner, admin while admin chat access is on, and shares for reading.</summary>
internal sealed class ArtifactAccess(ChatStore chats, ChatAccess access)
{
    /// <returns>Null when the caller may not see the conversation (missing and foreign look the same).</returns>
    public async Task<ConversationGrant?> ResolveAsync(string id, CurrentUser? caller, bool write, CancellationToken cancellationToken)
    {
        var row = await chats.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return null;
        }
        if (!row.IsShareSnapshot)
        {
            return caller is { Role: Roles.User or Roles.Admin } && access.IsOwnerOrAdmin(row, caller)
                ? new ConversationGrant(row, id, true, null)
                : null;
        }
        var mayOpenShares = caller is { Role: Roles.User or Roles.Admin } || (caller is null && await access.PublicSharesAsync(cancellationToken));
        if (write || !mayOpenShares)
        {
            return null;
        }
        var original = await chats.GetAsync(row.UserId[ChatRow.SharedPrefix.Length..], cancellationToken);
        // The snapshot's updated_at is when it was (re)shared: files made later are not part of it.
        return original is null ? null : new ConversationGrant(original, id, false, row.UpdatedAt * 1000 + 999);
    }

    /// <summary>Whether the grant covers a file created at <paramref name="createdAt"/> (unix ms).</summary>
    public static bool Covers(ConversationGrant grant, ArtifactFileRow row) =>
        row.ChatId == grant.Chat.Id && (grant.VisibleUntil is null || row.CreatedAt <= grant.VisibleUntil);
}
