using System.Text.Json.Nodes;
using Hearth.Server.Access;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

/// <summary>The body of an <c>…/access/update</c> route: the whole new list of grants.</summary>
internal sealed record AccessGrantsForm(JsonNode? AccessGrants);

/// <summary>One grant as the access routes list it; <c>id</c> names the grant (Hearth keys grants by their fields).</summary>
internal sealed record GrantEntry(string Id, string PrincipalType, string PrincipalId, string Permission)
{
    public static GrantEntry From(AccessGrant grant) =>
        new($"{grant.PrincipalType}:{grant.PrincipalId}:{grant.Permission}", grant.PrincipalType, grant.PrincipalId, grant.Permission);
}

/// <summary>
/// <c>GET /shared/{id}/access</c> and <c>POST /shared/{id}/access/update</c> (Open WebUI 0.11): who may open a
/// shared chat. Keyed by the chat's id, as upstream's web client calls them; a share id is taken too and means
/// its chat. Only the owner (or an admin while admin chat access is on) reads or sets them; anyone else gets 404.
/// </summary>
internal static class ChatShareAccessHandlers
{
    /// <summary>The permission a non-admin needs to grant to every user (<c>*</c>), as upstream's chats router names it.</summary>
    public const string PublicPermission = "sharing.public_chats";

    public static async Task<Results<Ok<IEnumerable<GrantEntry>>, JsonHttpResult<ErrorBody>>> List(string id, CurrentUser caller,
        ChatStore chats, ChatAccess access, AccessGrantStore grants, CancellationToken cancellationToken)
    {
        if (await GrantableAsync(id, caller, chats, access, cancellationToken) is not { } row)
        {
            return Errors.NotFound();
        }
        var listed = await grants.OfAsync(ChatGrants.SharedChat, row.Id, cancellationToken);
        return TypedResults.Ok(listed[row.Id].Select(GrantEntry.From));
    }

    public static async Task<IResult> Update(string id, AccessGrantsForm form, CurrentUser caller, ChatStore chats, ChatAccess access,
        ChatCopies copies, UserPermissions permissions, CancellationToken cancellationToken)
    {
        var (parsed, invalid) = AccessGrant.Parse(form.AccessGrants);
        if (invalid is not null)
        {
            return invalid;
        }
        if (await GrantableAsync(id, caller, chats, access, cancellationToken) is not { } row)
        {
            return Errors.NotFound();
        }
        var allowed = await AccessReach.AllowedAsync(parsed!, caller, permissions, PublicPermission, cancellationToken);
        return await copies.SetShareGrantsAsync(row.Id, allowed, cancellationToken) && await chats.ReadAsync(row.Id, cancellationToken) is { } chat
            ? TypedResults.Ok(chat)
            : Errors.NotFound();
    }

    /// <summary>The chat named by its id or its share's id, when the caller may say who reads it.</summary>
    private static async Task<ChatRow?> GrantableAsync(string id, CurrentUser caller, ChatStore chats, ChatAccess access,
        CancellationToken cancellationToken)
    {
        var row = await chats.GetAsync(id, cancellationToken);
        if (row is { IsShareSnapshot: true })
        {
            row = await chats.GetAsync(row.UserId[ChatRow.SharedPrefix.Length..], cancellationToken);
        }
        return row is { IsShareSnapshot: false } && access.IsOwnerOrAdmin(row, caller) ? row : null;
    }
}
