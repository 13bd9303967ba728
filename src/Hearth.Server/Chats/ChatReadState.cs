using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>
/// Open WebUI 0.11's read state of a user's own chats (<c>last_read_at</c>): a chat is unread while something other
/// than its owner's viewing changed it (a reply finished in the background, an integration wrote a message) or
/// the owner marked it so. Opening it (GET /{id}) or saving it whole reads it. Writes go through
/// <see cref="ChatChange.SetReadAsync"/>.
/// </summary>
internal sealed class ChatReadState(Database database)
{
    /// <returns>Whether the chat (the user's own) was unread and is read now.</returns>
    public Task<bool> MarkReadAsync(string userId, string chatId, CancellationToken cancellationToken) =>
        ChatChange.RunAsync(database, async change =>
            await change.SetReadAsync("c.id = @chatId AND c.user_id = @userId", new { chatId, userId }, read: true) > 0, cancellationToken);

    /// <returns>The chat's folder (null when outside any), or false when the user has no such chat.</returns>
    public Task<(bool Found, string? FolderId)> MarkUnreadAsync(string userId, string chatId, CancellationToken cancellationToken) =>
        ChatChange.RunAsync(database, async change =>
        {
            if (await change.LockAsync(chatId) is not { } row || row.UserId != userId)
            {
                return (false, (string?)null);
            }
            await change.SetReadAsync("c.id = @chatId", new { chatId }, read: false);
            return (true, row.FolderId);
        }, cancellationToken);

    /// <summary>Every chat of the user, or those in <paramref name="folderIds"/>, read. Returns how many changed.</summary>
    public Task<int> MarkAllReadAsync(string userId, IReadOnlyCollection<string>? folderIds, CancellationToken cancellationToken) =>
        ChatChange.RunAsync(database, change => folderIds is null
            ? change.SetReadAsync("c.user_id = @userId", new { userId }, read: true)
            : change.SetReadAsync($"c.user_id = @userId AND {change.Connection.In("c.folder_id", "@ids")}",
                new { userId, ids = folderIds.ToArray() }, read: true), cancellationToken);

    /// <summary>
    /// Each of the user's folders with the number of unread chats (not archived) in it and its subfolders, as
    /// upstream's <c>folder_unread_counts</c>.
    /// </summary>
    public async Task<Dictionary<string, int>> FolderUnreadCountsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var folders = (await connection.QueryAsync<(string Id, string? ParentId)>(new CommandDefinition(
            "SELECT id, parent_id FROM folders WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken)))
            .ToDictionary(f => f.Id, f => f.ParentId);
        var direct = await connection.QueryAsync<(string FolderId, int Count)>(new CommandDefinition(
            $"""
            SELECT c.folder_id, COUNT(*) FROM chats c
            WHERE c.user_id = @userId AND c.folder_id IS NOT NULL AND c.archived = {SqlDialect.Literal(database.IsPostgres, false)}
                AND {ChatRow.UnreadSql}
            GROUP BY c.folder_id
            """, new { userId }, cancellationToken: cancellationToken));
        var counts = folders.Keys.ToDictionary(id => id, _ => 0);
        foreach (var (folderId, count) in direct)
        {
            // Up through the ancestors; a loop a database edit made ends the walk.
            var seen = new HashSet<string>();
            for (string? id = folderId; id is not null && counts.ContainsKey(id) && seen.Add(id); id = folders[id])
            {
                counts[id] += count;
            }
        }
        return counts;
    }
}
