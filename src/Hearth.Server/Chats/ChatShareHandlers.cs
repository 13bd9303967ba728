using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

/// <summary>Sharing with Open WebUI's classic snapshot semantics (chats-api.md section 6), plus the shared list and revoke-all.</summary>
internal static class ChatShareHandlers
{
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Share(
        string id, CurrentUser caller, ChatAccess access, ChatCopies copies, ChatStore chats, CancellationToken cancellationToken)
    {
        if (!await access.MayAsync(caller, "chat.share", cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        return await copies.ShareAsync(id, caller.Id, cancellationToken) is { } snapshot
            ? TypedResults.Ok(await chats.ReadAsync(snapshot, cancellationToken))
            : Errors.Unauthorized(ErrorMessages.AccessProhibited);
    }

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Unshare(
        string id, CurrentUser caller, ChatCopies copies, CancellationToken cancellationToken) =>
        await copies.UnshareAsync(id, caller.Id, cancellationToken) is { } removed
            ? TypedResults.Ok(removed)
            : Errors.Unauthorized(ErrorMessages.AccessProhibited);

    public static async Task<Ok<bool>> UnshareAll(CurrentUser caller, ChatCopies copies, CancellationToken cancellationToken)
    {
        await copies.UnshareAllAsync(caller.Id, cancellationToken);
        return TypedResults.Ok(true);
    }

    /// <summary>GET /shared: the caller's shared chats, paged, newest first.</summary>
    public static async Task<Ok<IEnumerable<ChatTitleIdResponse>>> SharedList(CurrentUser caller, ChatQueries queries,
        CancellationToken cancellationToken, int? page = null)
    {
        var skip = Paging.Skip(page, ChatListHandlers.PageSize);
        var rows = await queries.RowsAsync(new ChatFilter(caller.Id) { Shared = true }, ChatOrder.Recent, skip, ChatListHandlers.PageSize, cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.ToTitle()));
    }

    /// <summary>
    /// GET /share/{share_id}. The snapshot opens for the chat's owner, for those its grants reach (Open WebUI 0.11:
    /// the link alone opens nothing) and, while public shares are on, for anyone; an admin with admin chat access
    /// reads any chat by its id, as upstream's admin viewer does.
    /// </summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Open(
        string shareId, HttpContext http, ChatStore chats, ChatAccess access, ChatGrants grants, CancellationToken cancellationToken)
    {
        var caller = CurrentUser.From(http.User);
        var publicShares = await access.PublicSharesAsync(cancellationToken);
        if (caller is null)
        {
            if (!publicShares)
            {
                return http.Request.Headers.Authorization.Count > 0 || http.Request.Cookies.ContainsKey("token")
                    ? Errors.Unauthorized(ErrorMessages.InvalidToken)
                    : Errors.Forbidden(ErrorMessages.NotAuthenticated);
            }
        }
        else if (caller.Role is not (Roles.User or Roles.Admin))
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        var row = await chats.GetAsync(shareId, cancellationToken);
        if (row is null || !(row.IsShareSnapshot || (caller is { IsAdmin: true } && access.AdminChatAccess)))
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        return publicShares || await MayOpenAsync(row, caller!, chats, access, grants, cancellationToken)
            ? TypedResults.Ok(await chats.ReadAsync(row, cancellationToken))
            : Errors.Unauthorized(ErrorMessages.AccessProhibited);
    }

    /// <summary>Whether a signed-in caller may read a share snapshot (or, as an admin, the chat named).</summary>
    private static async Task<bool> MayOpenAsync(ChatRow row, CurrentUser caller, ChatStore chats, ChatAccess access, ChatGrants grants,
        CancellationToken cancellationToken)
    {
        if (!row.IsShareSnapshot || (caller.IsAdmin && access.AdminChatAccess))
        {
            return true;
        }
        var chatId = row.UserId[ChatRow.SharedPrefix.Length..];
        return (await chats.GetAsync(chatId, cancellationToken))?.UserId == caller.Id || await grants.ShareGrantedAsync(chatId, caller, cancellationToken);
    }

    /// <summary>POST /{id}/clone/shared: the caller's own copy of a share they may open (an admin may clone any chat by id).</summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> CloneShared(
        string id, CurrentUser caller, ChatStore chats, ChatCopies copies, ChatAccess access, ChatGrants grants, CancellationToken cancellationToken)
    {
        if (!await access.MayAsync(caller, "chat.import", cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        var source = await chats.GetAsync(id, cancellationToken);
        if (source is null || !(source.IsShareSnapshot || (caller.IsAdmin && access.AdminChatAccess)))
        {
            return Errors.Unauthorized(ErrorMessages.Default);
        }
        if (!await access.PublicSharesAsync(cancellationToken) && !await MayOpenAsync(source, caller, chats, access, grants, cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        return await copies.CloneAsync(source.Id, caller.Id, $"Clone of {source.Title}", cancellationToken) is { } clone
            ? TypedResults.Ok(await chats.ReadAsync(clone, cancellationToken))
            : Errors.Unauthorized(ErrorMessages.Default);
    }
}
