using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>Lists and searches. Lists read only the chat rows' small columns, never documents or messages.</summary>
internal sealed class ChatQueries(Database database, ChatPageStarts pageStarts)
{
    public async Task<IReadOnlyList<ChatTitleRow>> TitlesAsync(ChatFilter filter, ChatOrder order, int skip, int? limit,
        CancellationToken cancellationToken)
    {
        if (limit is { } size && size > 0 && skip % size == 0 && order == ChatOrder.Recent && IsDefaultList(filter))
        {
            return await DefaultListPageAsync(filter, skip / size + 1, size, cancellationToken);
        }
        var (where, args) = Where(filter);
        var page = limit is null ? "" : $" LIMIT {limit.Value} OFFSET {Math.Max(skip, 0)}";
        // SQLite would pick the wider covering index; the partial one answers the default list fastest.
        var hint = !database.IsPostgres && IsDefaultList(filter) && order == ChatOrder.Recent ? " INDEXED BY chats_default_list_idx" : "";
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChatTitleRow>(new CommandDefinition(
            $"SELECT {ChatTitleRow.Columns} FROM chats c{hint} WHERE {where} ORDER BY {order.Sql}{page}", args,
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// A page of the default list, read from the nearest page start this process has seen (see
    /// <see cref="ChatPageStarts"/>) so its cost does not grow with the page number once the start is known.
    /// </summary>
    private async Task<IReadOnlyList<ChatTitleRow>> DefaultListPageAsync(ChatFilter filter, int page, int size,
        CancellationToken cancellationToken)
    {
        var known = pageStarts.Nearest(filter.UserId, size, page);
        var (version, rows, from) = await ReadFromAsync(filter, page, size, known.Page, known.Start, cancellationToken);
        if (known.Start is not null && version != known.Version)
        {
            // The list changed since that start was read: it may now be in another place.
            (version, rows, from) = await ReadFromAsync(filter, page, size, 1, null, cancellationToken);
        }
        var first = (page - from) * size;
        if (rows.Count > 0)
        {
            pageStarts.Remember(filter.UserId, size, version, from, StartOf(rows[0]));
        }
        if (rows.Count > first + size)
        {
            pageStarts.Remember(filter.UserId, size, version, page + 1, StartOf(rows[first + size]));
        }
        return rows.Skip(first).Take(size).ToList();
    }

    /// <summary>
    /// The rows from the start of page <c>from</c> (the checkpoint at or before <paramref name="page"/>, or the
    /// page itself when its checkpoint is the known start) to one past the page, and the list version they
    /// were read at.
    /// </summary>
    private async Task<(long? Version, List<ChatTitleRow> Rows, int From)> ReadFromAsync(ChatFilter filter, int page,
        int size, int knownPage, ChatPageStarts.Start? knownStart, CancellationToken cancellationToken)
    {
        var checkpoint = ChatPageStarts.CheckpointAtOrBefore(page);
        var from = knownPage == checkpoint ? page : checkpoint;
        var skip = (long)(from - knownPage) * size;
        var take = (long)(page - from) * size + size + 1;
        var (where, args) = Where(filter);
        var seek = "";
        if (knownStart is not null)
        {
            seek = ChatOrder.Recent.From("@startUpdated", "@startId", inclusive: true);
            args.Add("startUpdated", knownStart.UpdatedAt);
            args.Add("startId", knownStart.Id);
        }
        var hint = database.IsPostgres ? "" : " INDEXED BY chats_default_list_idx";
        await using var connection = await database.OpenAsync(cancellationToken);
        // One snapshot for both: a write landing between them would let a start pass as current for rows that
        // have moved past it, and the page would match neither the list before the write nor after it.
        await using var snapshot = await Database.BeginSnapshotAsync(connection, cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            "SELECT version FROM chat_list_versions WHERE user_id = @userId;\n" +
            $"SELECT {ChatTitleRow.Columns} FROM chats c{hint} WHERE {where}{seek} " +
            $"ORDER BY {ChatOrder.Recent.Sql} LIMIT {take} OFFSET {skip}", args, snapshot, cancellationToken: cancellationToken));
        var version = await results.ReadSingleOrDefaultAsync<long?>();
        var rows = (await results.ReadAsync<ChatTitleRow>()).ToList();
        return (version, rows, from);
    }

    private static ChatPageStarts.Start StartOf(ChatTitleRow row) => new(row.UpdatedAt, row.Id);

    public async Task<long> CountAsync(ChatFilter filter, CancellationToken cancellationToken)
    {
        var (where, args) = Where(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM chats c WHERE {where}", args, cancellationToken: cancellationToken));
    }

    /// <summary>Chat rows (without messages) of a page, for routes that answer whole chats or statistics.</summary>
    public async Task<IReadOnlyList<ChatRow>> RowsAsync(ChatFilter filter, ChatOrder order, int skip, int? limit,
        CancellationToken cancellationToken)
    {
        var (where, args) = Where(filter);
        var page = limit is null ? "" : $" LIMIT {limit.Value} OFFSET {Math.Max(skip, 0)}";
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChatRow>(new CommandDefinition(
            $"SELECT {ChatRow.Columns} FROM chats c WHERE {where} ORDER BY {order.Sql}{page}", args,
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Whole chats for the exports: <see cref="StreamRowsAsync"/>, as the wire shows them.</summary>
    public async IAsyncEnumerable<ChatResponse> StreamAsync(ChatFilter? filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (row, content) in StreamRowsAsync(filter, ChatOrder.Recent, cancellationToken))
        {
            yield return row.ToResponse(content);
        }
    }

    /// <summary>
    /// Chat rows with their messages, read in batches and yielded as they come, so a caller can write them out in
    /// memory bounded by one batch plus one chat, whatever the number of chats. Each batch continues after the
    /// last row of the one before (keyset), an index seek however far the export has got, and all are read in
    /// one snapshot: a chat changed meanwhile is exported once, as it was when the export began, never skipped
    /// or repeated. Chats come in <paramref name="order"/> (<see cref="ChatOrder.Recent"/> or <see cref="ChatOrder.Oldest"/>);
    /// a null filter is every row of the table (the admin dump), which <c>chats_updated_idx</c> serves.
    /// </summary>
    public async IAsyncEnumerable<(ChatRow Row, ChatContent Content)> StreamRowsAsync(
        ChatFilter? filter, ChatOrder order, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 100;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await Database.BeginSnapshotAsync(connection, cancellationToken);
        ChatRow? last = null;
        while (true)
        {
            var (where, args) = filter is null ? ("1 = 1", new DynamicParameters()) : Where(filter);
            if (last is not null)
            {
                where += order.From("@lastUpdated", "@lastId", inclusive: false);
                args.Add("lastId", last.Id);
                args.Add("lastUpdated", last.UpdatedAt);
            }
            var rows = (await connection.QueryAsync<ChatRow>(new CommandDefinition(
                $"SELECT {ChatRow.Columns} FROM chats c WHERE {where} ORDER BY {order.Sql} LIMIT {batch}",
                args, snapshot, cancellationToken: cancellationToken))).ToList();
            foreach (var row in rows)
            {
                yield return (row, await ChatContent.ReadAsync(connection, row.Id, cancellationToken, snapshot));
            }
            if (rows.Count < batch)
            {
                yield break;
            }
            last = rows[^1];
        }
    }

    private (string Where, DynamicParameters Args) Where(ChatFilter filter)
    {
        var sql = new StringBuilder("c.user_id = @userId");
        var args = new DynamicParameters();
        args.Add("userId", filter.UserId);
        // Flags are written as literals, in each database's own spelling, so they match the partial index.
        if (filter.Archived is { } archived)
        {
            sql.Append($" AND c.archived = {Literal(archived)}");
        }
        if (filter.Pinned is { } pinned)
        {
            sql.Append(pinned ? $" AND c.pinned = {Literal(true)}" : $" AND COALESCE(c.pinned, {Literal(false)}) = {Literal(false)}");
        }
        if (filter.OutsideFolders)
        {
            sql.Append(" AND c.folder_id IS NULL");
        }
        if (filter.FolderIds is { } folders)
        {
            sql.Append(folders.Count == 0 ? " AND 1 = 0" : $" AND {SqlDialect.In(database.IsPostgres, "c.folder_id", "@folders")}");
            args.Add("folders", folders.ToArray());
        }
        if (filter.TitleContains is { Length: > 0 } title)
        {
            sql.Append($" AND {Contains("c.search_title", "@title")}");
            args.Add("title", title.ToLowerInvariant());
        }
        if (filter.Shared is { } shared)
        {
            sql.Append(shared ? " AND c.share_id IS NOT NULL" : " AND c.share_id IS NULL");
        }
        if (filter.WithoutTags)
        {
            sql.Append(" AND NOT EXISTS (SELECT 1 FROM chat_tags t WHERE t.chat_id = c.id)");
        }
        else if (filter.Tags is { } tags)
        {
            var i = 0;
            foreach (var tag in tags)
            {
                sql.Append($" AND EXISTS (SELECT 1 FROM chat_tags t WHERE t.chat_id = c.id AND t.tag_id = @tag{i})");
                args.Add($"tag{i++}", tag);
            }
        }
        if (filter.UpdatedAfter is { } after)
        {
            sql.Append(" AND c.updated_at > @after");
            args.Add("after", after);
        }
        var w = 0;
        foreach (var word in filter.Words ?? [])
        {
            sql.Append($" AND ({ChatSearchSql.Matches(database.Provider, word, w)})");
            args.Add($"needle{w}", word);
            args.Add($"phrase{w}", ChatSearchSql.Phrase(word));
            args.Add($"pattern{w}", ChatSearchSql.LikePattern(word));
            w++;
        }
        return (sql.ToString(), args);
    }

    private string Literal(bool value) => SqlDialect.Literal(database.IsPostgres, value);

    /// <summary>GET / without flags: not archived, not pinned, outside folders, nothing else.</summary>
    private static bool IsDefaultList(ChatFilter filter) =>
        filter == new ChatFilter(filter.UserId) { Archived = false, Pinned = false, OutsideFolders = true };

    private string Contains(string column, string parameter) =>
        database.IsPostgres ? $"strpos({column}, {parameter}) > 0" : $"instr({column}, {parameter}) > 0";
}
