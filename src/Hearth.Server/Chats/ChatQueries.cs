using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>Lists and searches. Lists read only the chat rows' small columns, never documents or messages.</summary>
internal sealed class ChatQueries(Database database)
{
    public async Task<IReadOnlyList<ChatTitleRow>> TitlesAsync(ChatFilter filter, ChatOrder order, int skip, int? limit,
        CancellationToken cancellationToken)
    {
        var (where, args) = Where(filter);
        var page = limit is null ? "" : $" LIMIT {limit.Value} OFFSET {Math.Max(skip, 0)}";
        // SQLite would pick the wider covering index; the partial one answers the default list fastest.
        var hint = !database.IsPostgres && IsDefaultList(filter) && order == ChatOrder.Recent ? " INDEXED BY chats_default_list_idx" : "";
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChatTitleRow>(new CommandDefinition(
            $"SELECT id, title, updated_at, created_at FROM chats c{hint} WHERE {where} ORDER BY {order.Sql}{page}", args,
            cancellationToken: cancellationToken))).ToList();
    }

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

    /// <summary>
    /// Whole chats, read and yielded in batches so a caller can write them out as they come: memory stays
    /// bounded by one batch plus one chat, whatever the number of chats. Null filter: every row (admin dump).
    /// </summary>
    public async IAsyncEnumerable<ChatResponse> StreamAsync(ChatFilter? filter, ChatOrder order,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 100;
        for (var skip = 0; ; skip += batch)
        {
            IReadOnlyList<ChatRow> rows;
            if (filter is null)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                rows = (await connection.QueryAsync<ChatRow>(new CommandDefinition(
                    $"SELECT {ChatRow.Columns} FROM chats ORDER BY {order.Sql} LIMIT {batch} OFFSET {skip}",
                    cancellationToken: cancellationToken))).ToList();
            }
            else
            {
                rows = await RowsAsync(filter, order, skip, batch, cancellationToken);
            }
            foreach (var row in rows)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                yield return row.ToResponse(await ChatStore.MessagesAsync(connection, row.Id, cancellationToken));
            }
            if (rows.Count < batch)
            {
                yield break;
            }
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
        if (filter.Needle is { Length: > 0 } needle)
        {
            sql.Append($" AND ({ChatSearchSql.TitleMatches(database.Provider, needle)} OR c.id IN ({ChatSearchSql.MessageMatches(database.Provider, needle)}))");
            args.Add("needle", needle);
            args.Add("phrase", ChatSearchSql.Phrase(needle));
            args.Add("pattern", ChatSearchSql.LikePattern(needle));
        }
        return (sql.ToString(), args);
    }

    private string Literal(bool value) => database.IsPostgres ? (value ? "TRUE" : "FALSE") : (value ? "1" : "0");

    /// <summary>GET / without flags: not archived, not pinned, outside folders, nothing else.</summary>
    private static bool IsDefaultList(ChatFilter filter) =>
        filter == new ChatFilter(filter.UserId) { Archived = false, Pinned = false, OutsideFolders = true };

    private string Contains(string column, string parameter) =>
        database.IsPostgres ? $"strpos({column}, {parameter}) > 0" : $"instr({column}, {parameter}) > 0";
}
