using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Chats;

/// <summary>The list routes. Each reads chat rows' small columns only.</summary>
internal static class ChatListHandlers
{
    public const int PageSize = 60;
    public const int FolderPageSize = 10;
    public const int WholeChatPageSize = 100;

    public static async Task<Ok<IEnumerable<ChatTitleIdResponse>>> List(CurrentUser caller, ChatQueries queries,
        CancellationToken cancellationToken, int? page = null,
        [FromQuery(Name = "include_pinned")] bool includePinned = false,
        [FromQuery(Name = "include_folders")] bool includeFolders = false)
    {
        var filter = new ChatFilter(caller.Id)
        {
            Archived = false,
            Pinned = includePinned ? null : false,
            OutsideFolders = !includeFolders,
        };
        var rows = await queries.TitlesAsync(filter, ChatOrder.Recent, Paging.Skip(page, PageSize), page is null ? null : PageSize, cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.ToResponse()));
    }

    public static async Task<Results<Ok<IEnumerable<ChatTitleIdResponse>>, JsonHttpResult<ErrorBody>>> ListOfUser(
        string userId, CurrentUser caller, ChatQueries queries, ChatAccess access, CancellationToken cancellationToken,
        int? page = null, string? query = null, [FromQuery(Name = "order_by")] string? orderBy = null, string? direction = null)
    {
        if (!access.AdminChatAccess)
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        return await Titles(new ChatFilter(userId) { TitleContains = query }, queries, page, orderBy, direction, cancellationToken);
    }

    public static Task<Results<Ok<IEnumerable<ChatTitleIdResponse>>, JsonHttpResult<ErrorBody>>> Archived(
        CurrentUser caller, ChatQueries queries, CancellationToken cancellationToken, int? page = null, string? query = null,
        [FromQuery(Name = "order_by")] string? orderBy = null, string? direction = null) =>
        Titles(new ChatFilter(caller.Id) { Archived = true, TitleContains = query }, queries, page, orderBy, direction, cancellationToken);

    private static async Task<Results<Ok<IEnumerable<ChatTitleIdResponse>>, JsonHttpResult<ErrorBody>>> Titles(ChatFilter filter,
        ChatQueries queries, int? page, string? orderBy, string? direction, CancellationToken cancellationToken)
    {
        if (ChatOrder.Parse(orderBy, direction) is not { } order)
        {
            return Errors.BadRequest(ErrorMessages.BadOrdering(orderBy ?? "", direction ?? ""));
        }
        var rows = await queries.TitlesAsync(filter, order, Paging.Skip(page, PageSize), PageSize, cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.ToResponse()));
    }

    public static async Task<Ok<IEnumerable<ChatTitleIdResponse>>> Pinned(CurrentUser caller, ChatQueries queries, CancellationToken cancellationToken)
    {
        var rows = await queries.TitlesAsync(new ChatFilter(caller.Id) { Archived = false, Pinned = true }, ChatOrder.Recent, 0, null, cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.ToResponse()));
    }

    /// <summary>GET /folder/{id}: whole chats of the folder and its descendants, pinned and archived left out.</summary>
    public static async Task<Ok<IAsyncEnumerable<ChatResponse>>> InFolderTree(string folderId, CurrentUser caller, FolderStore folders,
        ChatQueries queries, CancellationToken cancellationToken)
    {
        var ids = await folders.WithDescendantsAsync([folderId], cancellationToken);
        var filter = new ChatFilter(caller.Id) { Archived = false, Pinned = false, FolderIds = ids };
        return TypedResults.Ok(queries.StreamAsync(filter, cancellationToken));
    }

    /// <summary>
    /// GET /folder/{id}/list: a page of 10 of the folder's own chats, ordered by <c>sort_by</c> (<c>unread_updated_at</c>,
    /// unread first then newest, as Open WebUI 0.11's default; or <c>updated_at</c>, <c>created_at</c>, <c>title</c>)
    /// and <c>sort_dir</c> (<c>desc</c> or <c>asc</c>).
    /// </summary>
    public static async Task<Results<Ok<IEnumerable<FolderChatItem>>, JsonHttpResult<ErrorBody>>> InFolderPage(string folderId,
        CurrentUser caller, ChatQueries queries, CancellationToken cancellationToken, int? page = null,
        [FromQuery(Name = "sort_by")] string? sortBy = null, [FromQuery(Name = "sort_dir")] string? sortDir = null)
    {
        if (ChatOrder.ParseFolderSort(sortBy, sortDir) is not { } order)
        {
            return Errors.BadRequest(ErrorMessages.BadOrdering(sortBy ?? "", sortDir ?? ""));
        }
        var filter = new ChatFilter(caller.Id) { Archived = false, Pinned = false, FolderIds = [folderId] };
        var rows = await queries.TitlesAsync(filter, order, Paging.Skip(page, FolderPageSize), FolderPageSize, cancellationToken);
        return TypedResults.Ok(rows.Select(r => new FolderChatItem(r.Title, r.Id, r.UpdatedAt, r.LastReadAt)));
    }

    /// <summary>POST /tags: the caller's chats carrying a tag, archived included; a tag no chat carries is deleted.</summary>
    public static async Task<Ok<IEnumerable<ChatTitleIdResponse>>> ByTag(TagFilterForm form, CurrentUser caller, ChatQueries queries,
        TagStore tags, CancellationToken cancellationToken)
    {
        var tag = TagStore.Normalise(form.Name);
        var rows = await queries.TitlesAsync(new ChatFilter(caller.Id) { Tags = [tag] }, ChatOrder.Recent,
            Math.Max(form.Skip, 0), Math.Clamp(form.Limit, 1, 1000), cancellationToken);
        if (rows.Count == 0 && form.Skip <= 0)
        {
            await tags.DeleteAsync(caller.Id, tag, cancellationToken);
        }
        return TypedResults.Ok(rows.Select(r => r.ToResponse()));
    }

    public static async Task<Ok<IEnumerable<ChatTitleIdResponse>>> Search(string text, CurrentUser caller, ChatQueries queries,
        FolderStore folders, TagStore tags, CancellationToken cancellationToken, int? page = null)
    {
        var query = ChatSearchQuery.Parse(text);
        var filter = new ChatFilter(caller.Id)
        {
            Archived = query.Archived ?? false,
            Pinned = query.Pinned,
            Shared = query.Shared,
            Tags = query.Tags.Count > 0 ? query.Tags : null,
            WithoutTags = query.WithoutTags,
            Words = query.Words,
        };
        if (query.Folders.Count > 0)
        {
            var roots = await folders.IdsByNameKeysAsync(caller.Id, query.Folders.Select(FolderStore.NameKey).ToList(), cancellationToken);
            // Upstream quirk kept: when no folder name resolves, no folder filter applies.
            if (roots.Count > 0)
            {
                filter = filter with { FolderIds = await folders.WithDescendantsAsync(roots, cancellationToken) };
            }
        }
        var rows = await queries.TitlesAsync(filter, ChatOrder.Recent, Paging.Skip(page, PageSize), PageSize, cancellationToken);
        if (rows.Count == 0 && (page ?? 1) <= 1 && query.LoneTag is { Length: > 0 } lone)
        {
            await tags.DeleteAsync(caller.Id, lone, cancellationToken);
        }
        return TypedResults.Ok(rows.Select(r => r.ToResponse()));
    }

    /// <summary>GET /page: whole chats of the caller (archived included), newest first, with the total.</summary>
    public static async Task<Ok<ChatListResponse>> Page(CurrentUser caller, ChatQueries queries, ChatStore chats,
        CancellationToken cancellationToken, int? page = null, [FromQuery(Name = "items_per_page")] int? itemsPerPage = null)
    {
        var size = Math.Clamp(itemsPerPage ?? 20, 1, WholeChatPageSize);
        var filter = new ChatFilter(caller.Id);
        var rows = await queries.RowsAsync(filter, ChatOrder.Recent, Paging.Skip(page, size), size, cancellationToken);
        var items = new List<ChatResponse>();
        foreach (var row in rows)
        {
            items.Add(await chats.ReadAsync(row, cancellationToken));
        }
        return TypedResults.Ok(new ChatListResponse(items, await queries.CountAsync(filter, cancellationToken)));
    }
}

internal sealed record FolderChatItem(string Title, string Id, long UpdatedAt, long? LastReadAt);
