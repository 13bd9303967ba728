namespace Hearth.Server.Storage;

/// <summary>Something that keeps a chat's data outside the database (artifact files) and must remove it with the chat.</summary>
internal interface IChatDataOwner
{
    /// <summary>Called after the rows of <paramref name="chatIds"/> are gone (committed).</summary>
    Task ChatsDeletedAsync(IReadOnlyCollection<string> chatIds, CancellationToken cancellationToken);
}

/// <summary>
/// The one place every chat-deleting path (one chat, all of a user's chats, a folder's contents, a deleted
/// user) reports to, so that data outside the database goes with the rows.
/// </summary>
internal sealed class ChatDeletions(IEnumerable<IChatDataOwner> owners)
{
    public async Task DeletedAsync(IReadOnlyCollection<string> chatIds, CancellationToken cancellationToken)
    {
        if (chatIds.Count == 0)
        {
            return;
        }
        foreach (var owner in owners)
        {
            await owner.ChatsDeletedAsync(chatIds, cancellationToken);
        }
    }
}
