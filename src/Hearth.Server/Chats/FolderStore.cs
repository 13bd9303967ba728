using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

internal sealed class FolderRow
{
    public string Id { get; set; } = "";
    public string? ParentId { get; set; }
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameKey { get; set; } = "";
    public string? Items { get; set; }
    public string? Meta { get; set; }
    public string? Data { get; set; }
    public bool IsExpanded { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>Folders: a tree per user, names unique per parent (case-insensitive), no loops.</summary>
internal sealed partial class FolderStore(Database database, ChatDeletions deletions)
{
    private const string Columns = "id, parent_id, user_id, name, name_key, items, meta, data, is_expanded, created_at, updated_at";

    /// <summary>Open WebUI's folder-name match: runs of whitespace or <c>_</c> become one space, trimmed, lower-cased.</summary>
    public static string NameKey(string name) => Separators().Replace(name, " ").Trim().ToLowerInvariant();

    public async Task<FolderRow?> GetAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, userId, id);
    }

    /// <summary>The folder whoever owns it (admins under ENABLE_ADMIN_CHAT_ACCESS), or null.</summary>
    public async Task<FolderRow?> GetAnyAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<FolderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM folders WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Whether the folder or one of its descendants holds a chat of <paramref name="userId"/>'s.</summary>
    public async Task<bool> HoldsChatsAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = (await WithDescendantsAsync(connection, null, [id])).ToArray();
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM chats WHERE user_id = @userId AND {connection.In("folder_id", "@ids")})",
            new { userId, ids }, cancellationToken: cancellationToken));
    }

    private static Task<FolderRow?> GetAsync(DbConnection connection, DbTransaction? transaction, string userId, string id) =>
        connection.QuerySingleOrDefaultAsync<FolderRow>(
            $"SELECT {Columns} FROM folders WHERE id = @id AND user_id = @userId", new { id, userId }, transaction);

    public async Task<IReadOnlyList<FolderRow>> AllAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FolderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM folders WHERE user_id = @userId ORDER BY created_at, id", new { userId },
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The folder and all its descendants, found through <c>parent_id</c> (any owner, as upstream).</summary>
    public async Task<IReadOnlyList<string>> WithDescendantsAsync(IReadOnlyCollection<string> roots, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await WithDescendantsAsync(connection, null, roots);
    }

    private static async Task<IReadOnlyList<string>> WithDescendantsAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyCollection<string> roots) =>
        roots.Count == 0 ? [] : (await connection.QueryAsync<string>(
            $"""
            WITH RECURSIVE tree(id) AS (
                SELECT id FROM folders WHERE {connection.In("id", "@roots")}
                UNION SELECT f.id FROM folders f JOIN tree t ON f.parent_id = t.id)
            SELECT id FROM tree
            """, new { roots = roots.ToArray() }, transaction)).ToList();

    /// <summary>The folders named, in no particular order.</summary>
    public async Task<IReadOnlyList<FolderRow>> ByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<FolderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM folders WHERE {connection.In("id", "@ids")}", new { ids = ids.ToArray() },
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The names of the users named (the owners a shared folder list shows).</summary>
    public async Task<IReadOnlyDictionary<string, string>> OwnerNamesAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<string, string>();
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Id, string Name)>(new CommandDefinition(
            $"SELECT id, name FROM users WHERE {connection.In("id", "@ids")}", new { ids = userIds.Distinct().ToArray() },
            cancellationToken: cancellationToken))).ToDictionary(u => u.Id, u => u.Name);
    }

    /// <summary>
    /// A page of the chats filed directly in the folder, whoever owns them (a shared folder's list), most recently
    /// updated first, with their owners' names; and how many there are in all.
    /// </summary>
    public async Task<(IReadOnlyList<FolderChat> Chats, int Total)> ChatsInAsync(string folderId, int skip, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var chats = (await connection.QueryAsync<FolderChat>(new CommandDefinition(
            """
            SELECT c.id, c.title, c.user_id, COALESCE(u.name, 'Unknown') AS owner_name, c.created_at, c.updated_at, c.last_read_at
            FROM chats c LEFT JOIN users u ON u.id = c.user_id
            WHERE c.folder_id = @folderId AND c.archived = FALSE
            ORDER BY c.updated_at DESC, c.id LIMIT @limit OFFSET @skip
            """, new { folderId, limit, skip }, cancellationToken: cancellationToken))).ToList();
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM chats WHERE folder_id = @folderId AND archived = FALSE", new { folderId }, cancellationToken: cancellationToken));
        return (chats, total);
    }

    /// <summary>
    /// Replaces who may read or write the folder (and so its subfolders and chats); false when it is gone. Under
    /// the owner's tree lock, so a subfolder being made by a grantee (<see cref="InsertUnderAsync"/>) is made wholly
    /// before the change or checked against it.
    /// </summary>
    public Task<bool> SetGrantsAsync(FolderRow folder, IReadOnlyList<Access.AccessGrant> grants, long now, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var folderId = folder.Id;
            await connection.SerializeAsync(transaction, TreeLock(folder.UserId));
            // Key-shares the folder: a delete (which locks it FOR UPDATE, then removes its grants) waits or is waited for.
            var lockClause = connection is Npgsql.NpgsqlConnection ? " FOR KEY SHARE" : "";
            if (await connection.QuerySingleOrDefaultAsync<string>($"SELECT id FROM folders WHERE id = @folderId{lockClause}", new { folderId },
                    transaction) is null)
            {
                return false;
            }
            await Access.AccessGrantStore.ReplaceAsync(connection, transaction, ChatGrants.Folder, folderId, grants, now);
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> IdsByNameKeysAsync(string userId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM folders WHERE user_id = @userId AND {connection.In("name_key", "@keys")}", new { userId, keys = keys.ToArray() },
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Inserts the folder, or saves its name, items, meta, data and expansion. Never its parent: only
    /// <see cref="MoveAsync"/> changes that, under the tree lock, or a rename that read the folder before a move
    /// could write the old parent back and close a loop.
    /// </summary>
    /// <returns>False when a sibling already has that name.</returns>
    public async Task<bool> SaveAsync(FolderRow folder, bool insert, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(insert
                ? $"INSERT INTO folders ({Columns}) VALUES (@Id, @ParentId, @UserId, @Name, @NameKey, @Items, @Meta, @Data, @IsExpanded, @CreatedAt, @UpdatedAt)"
                : """
                  UPDATE folders SET name = @Name, name_key = @NameKey, items = @Items, meta = @Meta,
                      data = @Data, is_expanded = @IsExpanded, updated_at = @UpdatedAt WHERE id = @Id AND user_id = @UserId
                  """, folder, cancellationToken: cancellationToken));
            return true;
        }
        catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Inserts a subfolder under its parent, as the parent's owner's, under that owner's tree lock (AGENTS.md's lock
    /// order, first): a delete or move of the parent and a change of the grants on it or its ancestors (all the
    /// owner's) run wholly before or after. So the parent is read again here and <paramref name="allowed"/> (the
    /// caller's access to it, read on other connections) asked again, and a subfolder never lands under a parent
    /// that is gone or no longer shared with whoever makes it. Without this, a check and an insert made apart let
    /// a delete in between leave the subfolder under a parent that no longer exists (no foreign key holds
    /// <c>parent_id</c>, and a delete reads the tree before it deletes).
    /// </summary>
    public async Task<FolderInsert> InsertUnderAsync(FolderRow folder, Func<FolderRow, CancellationToken, Task<bool>> allowed,
        CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.SerializeAsync(transaction, TreeLock(folder.UserId));
            if (await GetAsync(connection, transaction, folder.UserId, folder.ParentId!) is not { } parent || !await allowed(parent, cancellationToken))
            {
                return FolderInsert.ParentGone;
            }
            try
            {
                await connection.ExecuteAsync(
                    $"INSERT INTO folders ({Columns}) VALUES (@Id, @ParentId, @UserId, @Name, @NameKey, @Items, @Meta, @Data, @IsExpanded, @CreatedAt, @UpdatedAt)",
                    folder, transaction);
                return FolderInsert.Inserted;
            }
            catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
            {
                return FolderInsert.NameTaken;
            }
            catch (DbException e) when (SqlDialect.IsForeignKeyViolation(e))
            {
                // The owner's deletion, which takes no tree lock, went first: their folders went with them.
                return FolderInsert.ParentGone;
            }
        }, outcome => outcome == FolderInsert.Inserted, null, cancellationToken);

    /// <summary>
    /// Moves the folder under <paramref name="parentId"/> (null: to the top). The parent and the loop check are
    /// read in the same transaction as the move, serialised per user, so two crossing moves (A under B, B under
    /// A) cannot both pass and leave a cycle. Only <c>parent_id</c> and <c>updated_at</c> are written.
    /// </summary>
    public async Task<(FolderMove Outcome, FolderRow? Folder)> MoveAsync(string userId, string id, string? parentId, long now,
        CancellationToken cancellationToken) =>
        await database.InTransactionAsync<(FolderMove, FolderRow?)>(async (connection, transaction) =>
        {
            await connection.SerializeAsync(transaction, TreeLock(userId));
            var folder = await GetAsync(connection, transaction, userId, id);
            if (folder is null)
            {
                return (FolderMove.NotFound, null);
            }
            if (parentId is not null)
            {
                if (await GetAsync(connection, transaction, userId, parentId) is null)
                {
                    return (FolderMove.NotFound, null);
                }
                // A loop forms when the folder is the new parent or one of its ancestors.
                var ancestors = await connection.QueryAsync<string>(
                    """
                    WITH RECURSIVE up(id, parent_id) AS (
                        SELECT id, parent_id FROM folders WHERE id = @parentId
                        UNION SELECT f.id, f.parent_id FROM folders f JOIN up ON f.id = up.parent_id)
                    SELECT id FROM up
                    """, new { parentId }, transaction);
                if (ancestors.Contains(id))
                {
                    return (FolderMove.Loop, null);
                }
            }
            try
            {
                await connection.ExecuteAsync("UPDATE folders SET parent_id = @parentId, updated_at = @now WHERE id = @id AND user_id = @userId",
                    new { parentId, now, id, userId }, transaction);
            }
            catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
            {
                return (FolderMove.NameTaken, null);
            }
            folder.ParentId = parentId;
            folder.UpdatedAt = now;
            return (FolderMove.Moved, folder);
        }, result => result.Item1 == FolderMove.Moved, null, cancellationToken);

    /// <summary>
    /// Deletes the folder and its descendants; their chats are deleted or moved out of any folder. The tree is
    /// read in the transaction, serialised with moves, so a folder moved under a descendant meanwhile goes too
    /// instead of being left under a parent that no longer exists.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(string userId, string id, bool deleteContents, CancellationToken cancellationToken)
    {
        var (ids, deletedChats) = await ChatChange.RunAsync(database, async change =>
        {
            var (connection, transaction) = (change.Connection, change.Transaction);
            await connection.SerializeAsync(transaction, TreeLock(userId));
            var ids = (await WithDescendantsAsync(connection, transaction, [id])).ToArray();
            var inFolders = $"user_id = @userId AND {connection.In("folder_id", "@ids")}";
            var args = new { userId, ids };
            await change.LockAllAsync(inFolders, args);
            if (connection is Npgsql.NpgsqlConnection)
            {
                // Chats, then folders, the order a filing write takes them (ChatChange): a write filing a chat into
                // one of these folders from now on finds it locked and files the chat outside any folder, and one
                // already under way is waited for, so the statements below see its chat.
                await connection.ExecuteAsync($"SELECT id FROM folders WHERE {connection.In("id", "@ids")} ORDER BY id FOR UPDATE", new { ids }, transaction);
            }
            List<string> chatIds = [];
            if (deleteContents)
            {
                chatIds = await change.DeleteAsync(inFolders, args);
            }
            else
            {
                await change.UnfileAsync(userId, inFolders, args);
            }
            await connection.ExecuteAsync($"DELETE FROM folders WHERE user_id = @userId AND {connection.In("id", "@ids")}", args, transaction);
            await connection.ExecuteAsync(
                $"DELETE FROM access_grants WHERE resource_type = '{ChatGrants.Folder}' AND {connection.In("resource_id", "@ids")}", args, transaction);
            return (ids, chatIds);
        }, cancellationToken);
        await deletions.DeletedAsync(deletedChats, cancellationToken);
        return ids;
    }

    /// <summary>The lock that serialises changes to the shape of one user's folder tree (subfolders made under a parent, moves, deletes) and to its grants.</summary>
    private static string TreeLock(string userId) => $"folders.tree:{userId}";

    [GeneratedRegex(@"[\s_]+")]
    private static partial Regex Separators();
}

/// <summary>A chat as a shared folder's list shows it.</summary>
internal sealed class FolderChat
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string UserId { get; set; } = "";
    public string OwnerName { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? LastReadAt { get; set; }
}

internal enum FolderInsert
{
    Inserted,
    ParentGone,
    NameTaken,
}

internal enum FolderMove
{
    Moved,
    NotFound,
    Loop,
    NameTaken,
}
