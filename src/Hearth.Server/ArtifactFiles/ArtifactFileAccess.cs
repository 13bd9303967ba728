using Hearth.Server.Auth;
using Hearth.Server.Chats;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// What a caller may do with a conversation's artifacts. <paramref name="Chat"/> is the real chat (a share's
/// original); <paramref name="ViaId"/> the id the caller named; <paramref name="VisibleUntil"/> limits a share to
/// the files that existed when it was made (unix ms); <paramref name="Snapshot"/> is the share's snapshot when the caller
/// came by a share link.
/// </summary>
internal sealed record ConversationGrant(ChatRow Chat, string ViaId, bool CanWrite, long? VisibleUntil, ChatRow? Snapshot = null)
{
    /// <summary>The messages the caller reads: a share's snapshot as it was made (never what the owner wrote since), else the chat.</summary>
    public ChatRow Shown => Snapshot ?? Chat;
}

/// <summary>
/// The chats API's access rules applied to artifacts: owner, admin while admin chat access is on, and for reading,
/// those a grant lets read the chat (<see cref="ChatGrants"/>) and those who may open its share. An admin's read of
/// another user's conversation is audited (<see cref="ChatAccess.Reaches"/>).
/// </summary>
internal sealed class ArtifactFileAccess(ChatStore chats, ChatAccess access, ChatGrants grants)
{
    /// <returns>Null when the caller may not see the conversation (missing and foreign look the same).</returns>
    public async Task<ConversationGrant?> ResolveAsync(string id, CurrentUser? caller, bool write, CancellationToken cancellationToken)
    {
        var row = await chats.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var signedIn = caller is { Role: Roles.User or Roles.Admin };
        if (!row.IsShareSnapshot)
        {
            // Reads are audited when an admin reaches into another user's conversation; writes answer for themselves.
            if (signedIn && (write ? access.IsOwnerOrAdmin(row, caller!) : access.Reaches(row, caller!)))
            {
                return new ConversationGrant(row, id, true, null);
            }
            // A grantee reads the live chat, so every file of it.
            return signedIn && !write && await grants.GrantedAsync(row, caller!, cancellationToken) ? new ConversationGrant(row, id, false, null) : null;
        }
        var publicShares = await access.PublicSharesAsync(cancellationToken);
        if (write || !(signedIn || (caller is null && publicShares)))
        {
            return null;
        }
        var original = await chats.GetAsync(row.UserId[ChatRow.SharedPrefix.Length..], cancellationToken);
        if (original is null || !(publicShares || access.IsOwnerOrAdmin(original, caller!) || await grants.ShareGrantedAsync(original.Id, caller!, cancellationToken)))
        {
            return null;
        }
        // The snapshot's updated_at is when it was (re)shared: files made later are not part of it.
        return new ConversationGrant(original, id, false, row.UpdatedAt * 1000 + 999, row);
    }

    /// <summary>Whether the grant covers a file whose row was created (unix ms) before the grant's cut-off.</summary>
    public static bool Covers(ConversationGrant grant, ArtifactFileRow row) =>
        row.ChatId == grant.Chat.Id && (grant.VisibleUntil is null || row.CreatedAt <= grant.VisibleUntil);
}
