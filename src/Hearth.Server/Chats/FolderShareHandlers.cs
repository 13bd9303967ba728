using System.Text.Json.Serialization;
using Hearth.Server.Access;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

/// <summary>A folder with who may use it: <c>GET /{id}</c> and <c>POST /{id}/access/update</c> (Open WebUI 0.11).</summary>
internal sealed record FolderAccessModel(string Id, string? ParentId, string UserId, string Name, RawJson? Items, RawJson? Meta, RawJson? Data,
    bool IsExpanded, long CreatedAt, long UpdatedAt, IEnumerable<GrantEntry> AccessGrants, bool WriteAccess)
{
    public static FolderAccessModel From(FolderModel f, IEnumerable<AccessGrant> grants, bool writeAccess) =>
        new(f.Id, f.ParentId, f.UserId, f.Name, f.Items, f.Meta, f.Data, f.IsExpanded, f.CreatedAt, f.UpdatedAt, grants.Select(GrantEntry.From), writeAccess);
}

/// <summary>A folder in <c>GET /shared</c>: whose it is and what the caller may do in it.</summary>
internal sealed record SharedFolderModel(string Id, string? ParentId, string UserId, string Name, RawJson? Items, RawJson? Meta, RawJson? Data,
    bool IsExpanded, long CreatedAt, long UpdatedAt, string OwnerName, string Permission);

/// <summary>A chat in a shared folder's list; <c>readonly</c> unless it is the caller's own.</summary>
internal sealed record SharedFolderChat(string Id, string Title, string UserId, string OwnerName, long CreatedAt, long UpdatedAt, long? LastReadAt,
    bool Readonly, bool Active);

/// <summary>The shared folder's chats; <c>total</c> and <c>has_more</c> only when a page was asked for, as upstream.</summary>
internal sealed record SharedFolderChats(IEnumerable<SharedFolderChat> Chats, string FolderPermission,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Total,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? HasMore);

/// <summary>
/// Folders shared through access grants (Open WebUI 0.11): a grant on a folder reaches its subfolders and the
/// chats filed in them. Read lets a user list and open them; write also lets them rename the folder and make
/// subfolders in it (made as the owner's). Only the owner (or an admin with admin chat access) says who may.
/// </summary>
internal static class FolderShareHandlers
{
    public const int PageSize = 10;
    public const int UnpagedLimit = 60;

    /// <summary>POST /{id}/access/update: replaces the folder's grants; a grantee gets 403, a stranger 404.</summary>
    public static async Task<IResult> UpdateAccess(string id, AccessGrantsForm form, CurrentUser caller, FolderStore folders, ChatGrants chatGrants,
        AccessGrantStore grants, UserPermissions permissions, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (parsed, invalid) = AccessGrant.Parse(form.AccessGrants);
        if (invalid is not null)
        {
            return invalid;
        }
        if (await folders.GetAnyAsync(id, cancellationToken) is not { } folder
            || await chatGrants.FolderPermissionAsync(folder, caller, cancellationToken) is not { } permission)
        {
            return Errors.NotFound();
        }
        if (!chatGrants.OwnsOrAdministers(folder, caller))
        {
            return Errors.Forbidden(ErrorMessages.AccessProhibited);
        }
        // No public permission: as upstream, only admins open a folder to every user.
        var allowed = await AccessReach.AllowedAsync(parsed!, caller, permissions, null, cancellationToken);
        if (!await folders.SetGrantsAsync(folder, allowed, clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken))
        {
            return Errors.NotFound();
        }
        return TypedResults.Ok(await DescribeAsync(folder, permission, grants, cancellationToken));
    }

    /// <summary>The folder with its grants and whether the caller may write in it.</summary>
    public static async Task<FolderAccessModel> DescribeAsync(FolderRow folder, string permission, AccessGrantStore grants,
        CancellationToken cancellationToken) =>
        FolderAccessModel.From(FolderModel.From(folder), (await grants.OfAsync(ChatGrants.Folder, folder.Id, cancellationToken))[folder.Id],
            permission == AccessGrant.Write);

    /// <summary>
    /// GET /shared: the folders others shared with the caller and those the caller shared (theirs to write), each
    /// with its subfolders, which inherit the shared folder's permission.
    /// </summary>
    public static async Task<Ok<IEnumerable<SharedFolderModel>>> Shared(CurrentUser caller, FolderStore folders, AccessGrantStore grants,
        UserPermissions permissions, CancellationToken cancellationToken)
    {
        var reached = await grants.ReachedAsync(ChatGrants.Folder, await permissions.ReachAsync(caller.Id, cancellationToken), cancellationToken);
        var own = (await folders.AllAsync(caller.Id, cancellationToken)).Select(f => f.Id).ToList();
        var ownShared = await grants.GrantedAmongAsync(ChatGrants.Folder, own, cancellationToken);
        var ownTree = (await folders.WithDescendantsAsync(ownShared.ToList(), cancellationToken)).ToHashSet();
        var permissionOf = new Dictionary<string, string>();
        foreach (var (rootId, permission) in reached.OrderByDescending(r => r.Value == AccessGrant.Write))
        {
            foreach (var folderId in await folders.WithDescendantsAsync([rootId], cancellationToken))
            {
                permissionOf.TryAdd(folderId, permission);
            }
        }
        // The owner's own folders are listed (theirs to write) only as ones they shared, whatever a grant to everyone reaches.
        var rows = await folders.ByIdsAsync(permissionOf.Keys.Union(ownTree).ToList(), cancellationToken);
        var listed = rows.Where(f => f.UserId != caller.Id || ownTree.Contains(f.Id)).OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).ToList();
        var names = await folders.OwnerNamesAsync(listed.Select(f => f.UserId).ToList(), cancellationToken);
        return TypedResults.Ok(listed.Select(f => new SharedFolderModel(f.Id, f.ParentId, f.UserId, f.Name, Raw(f.Items), Raw(f.Meta), Raw(f.Data),
            f.IsExpanded, f.CreatedAt, f.UpdatedAt, names.GetValueOrDefault(f.UserId, "Unknown"),
            f.UserId == caller.Id ? AccessGrant.Write : permissionOf[f.Id])));
    }

    /// <summary>
    /// GET /{id}/shared/chats: the chats filed in the folder, whoever's they are, 10 a page with <c>page</c> (then
    /// with <c>total</c> and <c>has_more</c>), else the first 60. Another user's chat is read-only and reads as read.
    /// 404 for a folder the caller has no access to, as for one that does not exist.
    /// </summary>
    public static async Task<Results<Ok<SharedFolderChats>, JsonHttpResult<ErrorBody>>> Chats(string id, CurrentUser caller, FolderStore folders,
        ChatGrants chatGrants, CancellationToken cancellationToken, int? page = null)
    {
        // A folder the caller may not read answers as one that does not exist (upstream: 403), so ids cannot be probed.
        if (await folders.GetAnyAsync(id, cancellationToken) is not { } folder
            || await chatGrants.FolderPermissionAsync(folder, caller, cancellationToken) is not { } permission)
        {
            return Errors.NotFound();
        }
        var skip = page is null ? 0 : Paging.Skip(page, PageSize);
        var (chats, total) = await folders.ChatsInAsync(folder.Id, skip, page is null ? UnpagedLimit : PageSize, cancellationToken);
        var listed = chats.Select(c => new SharedFolderChat(c.Id, c.Title, c.UserId, c.OwnerName, c.CreatedAt, c.UpdatedAt,
            c.UserId == caller.Id ? c.LastReadAt : c.UpdatedAt, c.UserId != caller.Id, false));
        return TypedResults.Ok(new SharedFolderChats(listed, permission, page is null ? null : total, page is null ? null : skip + PageSize < total));
    }

    private static RawJson? Raw(string? text) => text is null ? null : new RawJson(text);
}
