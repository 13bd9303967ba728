using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Chats;

/// <summary>Where a chat stands in its owner's lists: what decides whether it is in the default list, and where.</summary>
internal sealed record ListState(string Id, string UserId, bool Archived, bool? Pinned, string? FolderId, long UpdatedAt)
{
    /// <summary>In the default list: not archived, not pinned, outside folders, and not a share snapshot.</summary>
    public bool Listed => !Archived && Pinned != true && FolderId is null && !UserId.StartsWith(ChatRow.SharedPrefix, StringComparison.Ordinal);

    public static ListState Of(ChatRow row) => new(row.Id, row.UserId, row.Archived, row.Pinned, row.FolderId, row.UpdatedAt);
}

/// <summary>
/// The per-user number (<c>chat_list_versions</c>) that labels remembered page starts of the default list
/// (<see cref="ChatPageStarts"/>): counted up whenever the list's members or order may have changed, so a stale
/// start is never used. Counting up too often only costs a cache miss; missing one would serve a wrong page.
/// </summary>
internal static class ChatListVersions
{
    public static Task BumpAsync(DbConnection connection, DbTransaction transaction, string userId) =>
        userId.StartsWith(ChatRow.SharedPrefix, StringComparison.Ordinal)
            ? Task.CompletedTask
            : connection.ExecuteAsync(
                """
                INSERT INTO chat_list_versions (user_id, version) VALUES (@userId, 1)
                ON CONFLICT (user_id) DO UPDATE SET version = chat_list_versions.version + 1
                """, new { userId }, transaction);

    public static async Task BumpAllAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> userIds)
    {
        foreach (var userId in userIds.Distinct().Order(StringComparer.Ordinal))
        {
            await BumpAsync(connection, transaction, userId);
        }
    }

    /// <summary>Counts up for a chat that joined, left, or moved within a default list (null: did not exist).</summary>
    public static async Task ChangedAsync(DbConnection connection, DbTransaction transaction, ListState? before, ListState? after)
    {
        if (before?.UserId != after?.UserId)
        {
            if (before is { Listed: true })
            {
                await BumpAsync(connection, transaction, before.UserId);
            }
            if (after is { Listed: true })
            {
                await BumpAsync(connection, transaction, after.UserId);
            }
            return;
        }
        if (before!.Listed != after!.Listed)
        {
            await BumpAsync(connection, transaction, after.UserId);
        }
        else if (after.Listed && before.UpdatedAt != after.UpdatedAt && await MovedAsync(connection, transaction, before, after))
        {
            await BumpAsync(connection, transaction, after.UserId);
        }
    }

    /// <summary>
    /// Whether another chat of the list comes before this one, before or after its new time: a newer time for
    /// the chat already at the top (a reply being saved, the usual write) moves nothing and counts nothing, so
    /// remembered starts survive it. Only the newest entries are read (from the earlier of the two times).
    /// </summary>
    private static async Task<bool> MovedAsync(DbConnection connection, DbTransaction transaction, ListState before, ListState after)
    {
        if (connection is NpgsqlConnection)
        {
            // Waits for a transaction that is counting up this user's list (and so changing it) to commit, so the
            // check below sees its chats; otherwise a chat that stays first here could move behind them uncounted.
            // This serialises a user's list-moving writes with each other; message writes reach it at most once
            // a second per chat (updated_at is in seconds), and writes to other users' chats never wait.
            await connection.ExecuteAsync("SELECT 1 FROM chat_list_versions WHERE user_id = @UserId FOR NO KEY UPDATE", after, transaction);
        }
        var hint = connection is NpgsqlConnection ? "" : " INDEXED BY chats_default_list_idx";
        var no = connection.Literal(false);
        return await connection.ExecuteScalarAsync<bool>(
            $"""
            SELECT EXISTS (SELECT 1 FROM chats o{hint}
                WHERE o.user_id = @userId AND o.archived = {no} AND COALESCE(o.pinned, {no}) = {no} AND o.folder_id IS NULL
                  AND o.updated_at >= @low AND o.id <> @id
                  AND (o.updated_at > @old OR (o.updated_at = @old AND o.id < @id)
                       OR o.updated_at > @new OR (o.updated_at = @new AND o.id < @id)))
            """,
            new { userId = after.UserId, id = after.Id, old = before.UpdatedAt, @new = after.UpdatedAt, low = Math.Min(before.UpdatedAt, after.UpdatedAt) },
            transaction);
    }
}
