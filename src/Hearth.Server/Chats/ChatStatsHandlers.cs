using System.Runtime.CompilerServices;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Hearth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Chats;

/// <summary>GET /stats/usage, /stats/export (paged or NDJSON) and /stats/export/{chat_id} (section 7).</summary>
internal static class ChatStatsHandlers
{
    public const int ExportPageSize = 10;
    public const string FailedStats = "Failed to process chat stats";

    public static async Task<Ok<ChatUsageStatsListResponse>> Usage(CurrentUser caller, ChatQueries queries, Database database,
        CancellationToken cancellationToken, [FromQuery(Name = "items_per_page")] int? itemsPerPage = null, int? page = null)
    {
        var size = Math.Clamp(itemsPerPage ?? 50, 1, 1000);
        var filter = new ChatFilter(caller.Id);
        var rows = await queries.RowsAsync(filter, ChatOrder.Recent, Paging.Skip(page, size), size, cancellationToken);
        var items = new List<ChatUsageStats>();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (ChatStats.Usage(row, await ChatStore.MessagesAsync(connection, row.Id, cancellationToken)) is { } item)
            {
                items.Add(item);
            }
        }
        return TypedResults.Ok(new ChatUsageStatsListResponse(items, await queries.CountAsync(filter, cancellationToken)));
    }

    public static async Task<IResult> Export(CurrentUser caller, ChatQueries queries, ChatAccess access, Database database,
        CancellationToken cancellationToken, [FromQuery(Name = "updated_at")] long? updatedAt = null, int? page = null, bool stream = false)
    {
        if (!caller.IsAdmin && !await access.CommunitySharingAsync(cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        var filter = new ChatFilter(caller.Id) { UpdatedAfter = updatedAt };
        if (stream)
        {
            return new NdjsonResult<ChatStatsExport>(ExportAll(filter, queries, cancellationToken),
                $"chat-stats-export-{caller.Id}.jsonl");
        }
        var number = Math.Max(page ?? 1, 1);
        var rows = await queries.RowsAsync(filter, ChatOrder.Oldest, Paging.Skip(number, ExportPageSize), ExportPageSize, cancellationToken);
        var items = new List<ChatStatsExport>();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var row in rows)
        {
            items.Add(ChatStats.Export(row, await ChatStore.MessagesAsync(connection, row.Id, cancellationToken)));
        }
        return TypedResults.Ok(new ChatStatsExportList("chats", items, await queries.CountAsync(filter, cancellationToken), number));
    }

    private static async IAsyncEnumerable<ChatStatsExport> ExportAll(ChatFilter filter, ChatQueries queries,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (row, content) in queries.StreamRowsAsync(filter, ChatOrder.Oldest, cancellationToken))
        {
            yield return ChatStats.Export(row, content.Messages);
        }
    }

    public static async Task<Results<Ok<ChatStatsExport>, JsonHttpResult<ErrorBody>>> ExportOne(string chatId, CurrentUser caller,
        ChatStore chats, ChatAccess access, Database database, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin && !await access.CommunitySharingAsync(cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        var row = await chats.GetAsync(chatId, cancellationToken);
        if (row is null || row.IsShareSnapshot)
        {
            return Errors.NotFound();
        }
        if (row.UserId != caller.Id && !caller.IsAdmin)
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return TypedResults.Ok(ChatStats.Export(row, await ChatStore.MessagesAsync(connection, row.Id, cancellationToken)));
        }
        catch (System.Text.Json.JsonException)
        {
            return Errors.BadRequest(FailedStats);
        }
    }
}
