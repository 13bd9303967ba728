using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.ArtifactFiles;

/// <summary>All SQL of artifact files: the gallery's indexed pages, per-conversation lists, limits, inserts and deletes.</summary>
internal sealed class ArtifactFileStore(Database database)
{
    /// <summary>The tie-break after <c>created_at</c>: SQLite's rowid (in every index for free), PostgreSQL's id (in its indexes).</summary>
    private string Key => database.IsPostgres ? "id" : "rowid";

    /// <summary>
    /// One gallery page and the number of matches. Paging runs on a covering index and only the page's rows are
    /// read; a page past the middle is read from the oldest end, so no page skips more than half of the matches.
    /// </summary>
    public async Task<(IReadOnlyList<ArtifactFileRow> Rows, long Total)> PageAsync(GalleryQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(query);
        await using var connection = await database.OpenAsync(cancellationToken);
        // The usage table, kept by triggers, answers the plain filters without counting rows.
        var total = query.Search is null && query.ConversationId is null
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COALESCE(SUM(files), 0) FROM artifact_file_usage WHERE user_id = @userId{(query.Kind is null ? "" : " AND kind = @kind")}",
                parameters, cancellationToken: cancellationToken))
            : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM artifact_files WHERE {where}", parameters, cancellationToken: cancellationToken));
        var skip = (long)(query.Page - 1) * query.Size;
        if (skip >= total)
        {
            return ([], total);
        }
        var fromEnd = total - skip - query.Size;
        var reverse = fromEnd < skip;
        parameters.Add("limit", reverse ? Math.Min(query.Size, total - skip) : query.Size);
        parameters.Add("skip", reverse ? Math.Max(fromEnd, 0) : skip);
        var rows = await connection.QueryAsync<ArtifactFileRow>(new CommandDefinition(
            $"""
            SELECT {ArtifactFileRow.Columns}, c.title AS chat_title FROM artifact_files a JOIN chats c ON c.id = a.chat_id
            WHERE a.{Key} IN (SELECT {Key} FROM artifact_files WHERE {where}
                ORDER BY created_at {(reverse ? "ASC" : "DESC")}, {Key} {(reverse ? "ASC" : "DESC")} LIMIT @limit OFFSET @skip)
            ORDER BY a.created_at DESC, a.{Key} DESC
            """, parameters, cancellationToken: cancellationToken));
        return (rows.ToList(), total);
    }

    private static (string Where, DynamicParameters Parameters) Where(GalleryQuery query)
    {
        var parameters = new DynamicParameters(new { userId = query.UserId });
        var where = "user_id = @userId";
        if (query.Kind is not null)
        {
            where += " AND kind = @kind";
            parameters.Add("kind", query.Kind);
        }
        if (query.ConversationId is not null)
        {
            where += " AND chat_id = @chatId";
            parameters.Add("chatId", query.ConversationId);
        }
        if (query.Search is not null)
        {
            where += " AND search_name LIKE @like ESCAPE '\\'";
            parameters.Add("like", "%" + query.Search.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        }
        return (where, parameters);
    }

    /// <summary>Files per filter for the gallery's chips (every filter present, zero when empty).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string Kind, long Files)>(new CommandDefinition(
            "SELECT kind, files FROM artifact_file_usage WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken)))
            .ToDictionary(c => c.Kind, c => c.Files);
        var result = FileKinds.Filters.ToDictionary(f => f, f => counts.GetValueOrDefault(f));
        result[FileKinds.All] = counts.Values.Sum();
        return result;
    }

    /// <summary>Files per filter among those whose name contains <paramref name="search"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsMatchingAsync(string userId, string search, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(new GalleryQuery(userId, null, search, null, 1, 1));
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string Kind, long Files)>(new CommandDefinition(
            $"SELECT kind, COUNT(*) FROM artifact_files WHERE {where} GROUP BY kind", parameters, cancellationToken: cancellationToken)))
            .ToDictionary(c => c.Kind, c => c.Files);
        var result = FileKinds.Filters.ToDictionary(f => f, f => counts.GetValueOrDefault(f));
        result[FileKinds.All] = counts.Values.Sum();
        return result;
    }

    /// <summary>A conversation's artifacts in creation order (up to <paramref name="createdUntil"/>, for a share snapshot).</summary>
    public async Task<IReadOnlyList<ArtifactFileRow>> OfConversationAsync(string chatId, long? createdUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ArtifactFileRow>(new CommandDefinition(
            $"""
            SELECT {ArtifactFileRow.Columns}, c.title AS chat_title FROM artifact_files a JOIN chats c ON c.id = a.chat_id
            WHERE a.chat_id = @chatId{(createdUntil is null ? "" : " AND a.created_at <= @until")} ORDER BY a.created_at, a.{Key}
            """, new { chatId, until = createdUntil }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<ArtifactFileRow?> GetAsync(string chatId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ArtifactFileRow>(new CommandDefinition(
            $"""
            SELECT {ArtifactFileRow.Columns}, c.title AS chat_title FROM artifact_files a JOIN chats c ON c.id = a.chat_id
            WHERE a.chat_id = @chatId AND a.id = @id
            """, new { chatId, id }, cancellationToken: cancellationToken));
    }

    public async Task<bool> MessageExistsAsync(string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM chat_messages WHERE chat_id = @chatId AND id = @messageId", new { chatId, messageId },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Bytes already stored in the conversation and by its owner.</summary>
    public async Task<(long Conversation, long User)> UsageAsync(string chatId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await UsageAsync(connection, null, chatId, userId);
    }

    private static async Task<(long, long)> UsageAsync(DbConnection connection, DbTransaction? transaction, string chatId, string userId) =>
        (await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(size), 0) FROM artifact_files WHERE chat_id = @chatId", new { chatId }, transaction),
         await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(bytes), 0) FROM artifact_file_usage WHERE user_id = @userId", new { userId }, transaction));

    /// <summary>Inserts the row unless it would take the conversation or the user past a limit (0 = none); checked and written under one lock per user.</summary>
    public async Task<InsertOutcome> InsertAsync(ArtifactFileRow row, long maxConversation, long maxUser, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.SerializeAsync(transaction, "artifact-files:" + row.UserId);
            // The row's keys key-share its chat and its user. A key share of the chat waits for nothing writers take
            // (FOR NO KEY UPDATE) but for a delete of the chat, which a user's deletion makes after locking the user's
            // row: so the user's row is taken first (AGENTS.md, "Lock order").
            await connection.KeyShareUserAsync(transaction, row.UserId);
            var (conversation, user) = await UsageAsync(connection, transaction, row.ChatId, row.UserId);
            if (maxConversation > 0 && conversation + row.Size > maxConversation)
            {
                return InsertOutcome.ConversationFull;
            }
            if (maxUser > 0 && user + row.Size > maxUser)
            {
                return InsertOutcome.UserFull;
            }
            try
            {
                await InsertAsync(connection, transaction, row);
            }
            catch (DbException e) when (SqlDialect.IsForeignKeyViolation(e))
            {
                return InsertOutcome.ChatGone;
            }
            return InsertOutcome.Stored;
        }, outcome => outcome == InsertOutcome.Stored, null, cancellationToken);

    private static Task InsertAsync(DbConnection connection, DbTransaction transaction, ArtifactFileRow row) =>
        connection.ExecuteAsync(
            """
            INSERT INTO artifact_files (id, chat_id, user_id, message_id, name, search_name, mime_type, kind, size, sha256, storage_key, created_at)
            VALUES (@Id, @ChatId, @UserId, @MessageId, @Name, @SearchName, @MimeType, @Kind, @Size, @Sha256, @StorageKey, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, row, transaction);

    /// <summary>Inserts many rows at once (seeding, rebuilding); rows whose id exists already are left as they are.</summary>
    public async Task<int> InsertManyAsync(IReadOnlyList<ArtifactFileRow> rows, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM artifact_files", transaction: transaction);
            foreach (var row in rows)
            {
                await InsertAsync(connection, transaction, row);
            }
            return (int)(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM artifact_files", transaction: transaction) - before);
        }, cancellationToken);

    /// <returns>The deleted row, or null when there was none.</returns>
    public async Task<ArtifactFileRow?> DeleteAsync(string chatId, string id, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<ArtifactFileRow>(
                $"SELECT {ArtifactFileRow.Columns} FROM artifact_files a WHERE a.chat_id = @chatId AND a.id = @id", new { chatId, id }, transaction);
            if (row is not null)
            {
                await connection.ExecuteAsync("DELETE FROM artifact_files WHERE id = @id", new { id }, transaction);
            }
            return row;
        }, cancellationToken);

    /// <summary>Every row's id and key, for the rebuild command's comparison with the folders.</summary>
    public async Task<Dictionary<string, string>> AllKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Id, string StorageKey)>(new CommandDefinition(
            "SELECT id, storage_key FROM artifact_files", cancellationToken: cancellationToken))).ToDictionary(r => r.Id, r => r.StorageKey);
    }

    public async Task DeleteRowsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM artifact_files WHERE {connection.In("id", "@ids")}", new { ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>The owner of each existing chat among <paramref name="chatIds"/>; share snapshots are left out.</summary>
    public async Task<Dictionary<string, string>> OwnersAsync(IReadOnlyCollection<string> chatIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Id, string UserId)>(new CommandDefinition(
            $"SELECT id, user_id FROM chats WHERE {connection.In("id", "@chatIds")} AND user_id NOT LIKE 'shared-%'",
            new { chatIds = chatIds.ToArray() }, cancellationToken: cancellationToken))).ToDictionary(r => r.Id, r => r.UserId);
    }
}
