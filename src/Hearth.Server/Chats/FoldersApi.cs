using System.Text.Json.Nodes;
using Hearth.Server.Audit;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Chats;

internal sealed record FolderForm(string Name, string? ParentId = null, JsonObject? Data = null, JsonObject? Meta = null);
internal sealed record FolderUpdateForm(string? Name = null, JsonObject? Data = null, JsonObject? Meta = null);
internal sealed record FolderParentForm(string? ParentId = null);
internal sealed record FolderExpandedForm(bool IsExpanded);

/// <param name="UnreadCount">Unread chats in the folder and its subfolders (the list's; Open WebUI 0.11).</param>
internal sealed record FolderModel(string Id, string? ParentId, string UserId, string Name, RawJson? Items, RawJson? Meta, RawJson? Data,
    bool IsExpanded, long CreatedAt, long UpdatedAt, int UnreadCount = 0)
{
    public static FolderModel From(FolderRow r) => new(r.Id, r.ParentId, r.UserId, r.Name, Raw(r.Items), Raw(r.Meta), Raw(r.Data),
        r.IsExpanded, r.CreatedAt, r.UpdatedAt);

    private static RawJson? Raw(string? text) => text is null ? null : new RawJson(text);
}

/// <summary><c>/api/v1/folders</c>: enough of Open WebUI's folder router for chats' <c>folder_id</c> and the <c>folder:</c> filter.</summary>
internal static class FoldersApi
{
    public const string FolderExists = "Folder already exists";
    public const string FolderLoop = "A folder cannot be moved inside itself or its own subfolders.";

    public static RouteGroupBuilder MapFolders(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/folders").WithTags("Folders").RequireAuthorization().AddEndpointFilter(FoldersSwitchedOnAsync);
        group.MapGet("/", async (CurrentUser caller, FolderStore folders, ChatReadState reads, CancellationToken ct) =>
        {
            var unread = await reads.FolderUnreadCountsAsync(caller.Id, ct);
            return TypedResults.Ok((await folders.AllAsync(caller.Id, ct)).Select(f => FolderModel.From(f) with { UnreadCount = unread.GetValueOrDefault(f.Id) }));
        }).WithName("ListFolders").WithSummary("List the caller's folders");
        group.MapPost("/", Create).WithName("CreateFolder").WithSummary("Create a folder").Answers(400, 404);
        group.MapGet("/shared", FolderShareHandlers.Shared).WithName("SharedFolders").WithSummary("Folders shared with the caller, and by them");
        group.MapGet("/{id}", GetOne).WithName("GetFolder").WithSummary("One folder, with its grants").Answers(404);
        group.MapPost("/{id}/access/update", FolderShareHandlers.UpdateAccess).WithName("UpdateFolderAccess").WithSummary("Replace who may use a folder").Produces<FolderAccessModel>().Answers(404).Audited("folder.access.update");
        group.MapGet("/{id}/shared/chats", FolderShareHandlers.Chats).WithName("SharedFolderChats").WithSummary("The chats in a shared folder").Answers(404);
        group.MapPost("/{id}/update", Update).WithName("UpdateFolder").WithSummary("Rename a folder or change its data").Answers(400, 404);
        group.MapPost("/{id}/update/parent", MoveUnder).WithName("MoveFolder").WithSummary("Move a folder under another, or to the top").Answers(400, 404);
        group.MapPost("/{id}/update/expanded", (string id, FolderExpandedForm form, CurrentUser caller, FolderStore folders, TimeProvider clock, CancellationToken ct) =>
            Change(id, caller, folders, clock, f =>
            {
                f.IsExpanded = form.IsExpanded;
                return null;
            }, ct)).WithName("ExpandFolder").WithSummary("Remember whether a folder is expanded");
        group.MapDelete("/{id}", Delete).WithName("DeleteFolder").WithSummary("Delete a folder, its subfolders and (optionally) their chats").Answers(404);
        group.MapPost("/{id}/read", ChatReadHandlers.ReadFolder).WithName("ReadFolder").WithSummary("Mark the chats of a folder read").Answers(404);
        return group;
    }

    /// <summary>GET /{id}: the folder with its grants, for its owner, an admin with admin chat access, or a grantee.</summary>
    public static async Task<Results<Ok<FolderAccessModel>, JsonHttpResult<ErrorBody>>> GetOne(string id, CurrentUser caller, FolderStore folders,
        ChatGrants grants, Access.AccessGrantStore grantStore, CancellationToken cancellationToken) =>
        await folders.GetAnyAsync(id, cancellationToken) is { } folder && await grants.FolderPermissionAsync(folder, caller, cancellationToken) is { } permission
            ? TypedResults.Ok(await FolderShareHandlers.DescribeAsync(folder, permission, grantStore, cancellationToken))
            : Errors.NotFound();

    /// <summary>
    /// POST /: a folder of the caller's, or a subfolder of a folder shared with them for writing, made as that
    /// folder's owner's (as upstream, so the tree stays one user's), without <c>data</c> or <c>meta</c> (see
    /// <see cref="Update"/>); a read-only shared parent answers 403. Access is asked again as the subfolder is
    /// inserted, under the lock deletes and grant changes of the parent take (<see cref="FolderStore.InsertUnderAsync"/>).
    /// </summary>
    public static async Task<Results<Ok<FolderModel>, JsonHttpResult<ErrorBody>>> Create(FolderForm form, CurrentUser caller,
        FolderStore folders, ChatGrants grants, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Name))
        {
            return Errors.BadRequest(ErrorMessages.DefaultWith(ErrorMessages.FolderNameEmpty));
        }
        var ownerId = caller.Id;
        if (form.ParentId is not null && await folders.GetAsync(caller.Id, form.ParentId, cancellationToken) is null)
        {
            if (await folders.GetAnyAsync(form.ParentId, cancellationToken) is not { } parent
                || await grants.FolderPermissionAsync(parent, caller, cancellationToken) is not { } permission)
            {
                return Errors.NotFound();
            }
            if (permission != Access.AccessGrant.Write)
            {
                return Errors.Forbidden(ErrorMessages.AccessProhibited);
            }
            if (!grants.OwnsOrAdministers(parent, caller) && (form.Data is not null || form.Meta is not null))
            {
                return Errors.Forbidden(ErrorMessages.FolderDataOwnerOnly);
            }
            ownerId = parent.UserId;
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var folder = new FolderRow
        {
            Id = Guid.NewGuid().ToString(), ParentId = form.ParentId, UserId = ownerId, Name = form.Name.Trim(),
            NameKey = FolderStore.NameKey(form.Name), Data = form.Data?.ToJsonString(), Meta = form.Meta?.ToJsonString(),
            CreatedAt = now, UpdatedAt = now,
        };
        var outcome = form.ParentId is null
            ? await folders.SaveAsync(folder, insert: true, cancellationToken) ? FolderInsert.Inserted : FolderInsert.NameTaken
            : await folders.InsertUnderAsync(folder, async (parent, ct) =>
                await grants.FolderPermissionAsync(parent, caller, ct) == Access.AccessGrant.Write, cancellationToken);
        return outcome switch
        {
            FolderInsert.Inserted => TypedResults.Ok(FolderModel.From(folder)),
            FolderInsert.NameTaken => Errors.BadRequest(FolderExists),
            _ => Errors.NotFound(),
        };
    }

    /// <summary>
    /// POST /{id}/update: renames the folder and replaces its <c>data</c> and <c>meta</c>. A writer of a shared
    /// folder only renames it: <c>data</c> holds the system prompt and files that reach its owner's chats, so what
    /// goes there is the owner's (or an admin's under admin chat access) to say; a writer posting either gets 403
    /// and nothing changes (upstream lets writers change both).
    /// </summary>
    public static Task<Results<Ok<FolderModel>, JsonHttpResult<ErrorBody>>> Update(string id, FolderUpdateForm form, CurrentUser caller,
        FolderStore folders, ChatGrants grants, TimeProvider clock, CancellationToken cancellationToken) =>
        Change(id, caller, folders, clock, f =>
        {
            if ((form.Data is not null || form.Meta is not null) && !grants.OwnsOrAdministers(f, caller))
            {
                return Errors.Forbidden(ErrorMessages.FolderDataOwnerOnly);
            }
            if (!string.IsNullOrWhiteSpace(form.Name))
            {
                f.Name = form.Name.Trim();
                f.NameKey = FolderStore.NameKey(f.Name);
            }
            f.Data = form.Data?.ToJsonString() ?? f.Data;
            f.Meta = form.Meta?.ToJsonString() ?? f.Meta;
            return null;
        }, cancellationToken, grants);

    public static async Task<Results<Ok<FolderModel>, JsonHttpResult<ErrorBody>>> MoveUnder(string id, FolderParentForm form,
        CurrentUser caller, FolderStore folders, TimeProvider clock, CancellationToken cancellationToken) =>
        await folders.MoveAsync(caller.Id, id, form.ParentId, clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken) switch
        {
            (FolderMove.Moved, { } folder) => TypedResults.Ok(FolderModel.From(folder)),
            (FolderMove.Loop, _) => Errors.BadRequest(FolderLoop),
            (FolderMove.NameTaken, _) => Errors.BadRequest(FolderExists),
            _ => Errors.NotFound(),
        };

    /// <summary>
    /// Loads the caller's folder (or, given <paramref name="grants"/>, one shared with them for writing), applies
    /// <paramref name="change"/> (which may refuse with an error) and saves it.
    /// </summary>
    private static async Task<Results<Ok<FolderModel>, JsonHttpResult<ErrorBody>>> Change(string id, CurrentUser caller, FolderStore folders,
        TimeProvider clock, Func<FolderRow, JsonHttpResult<ErrorBody>?> change, CancellationToken cancellationToken, ChatGrants? grants = null)
    {
        var folder = await folders.GetAsync(caller.Id, id, cancellationToken);
        if (folder is null && grants is not null && await folders.GetAnyAsync(id, cancellationToken) is { } shared
            && await grants.FolderPermissionAsync(shared, caller, cancellationToken) == Access.AccessGrant.Write)
        {
            folder = shared;
        }
        if (folder is null)
        {
            return Errors.NotFound();
        }
        if (change(folder) is { } refusal)
        {
            return refusal;
        }
        folder.UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        return await folders.SaveAsync(folder, insert: false, cancellationToken)
            ? TypedResults.Ok(FolderModel.From(folder))
            : Errors.BadRequest(FolderExists);
    }

    /// <summary>
    /// Every folder route answers 403 while ENABLE_FOLDERS is off, or for a user without <c>features.folders</c>
    /// (Open WebUI 0.11's <c>check_folders_permission</c>; admins need only the switch).
    /// </summary>
    private static async ValueTask<object?> FoldersSwitchedOnAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var settings = http.RequestServices.GetRequiredService<RuntimeSettings>();
        if (!(await settings.GetConfigAsync(http.RequestAborted)).EnableFolders
            || CurrentUser.From(http.User) is not { } caller
            || !await http.RequestServices.GetRequiredService<UserPermissions>().GrantsAsync(caller, "features.folders", http.RequestAborted))
        {
            return Errors.Forbidden(ErrorMessages.AccessProhibited);
        }
        return await next(context);
    }

    /// <summary>The caller's folder, or, for an admin while ENABLE_ADMIN_CHAT_ACCESS is on, anyone's.</summary>
    public static async Task<FolderRow?> VisibleAsync(string id, CurrentUser caller, FolderStore folders, ChatAccess access,
        CancellationToken cancellationToken) =>
        await folders.GetAsync(caller.Id, id, cancellationToken)
        ?? (caller.IsAdmin && access.AdminChatAccess ? await folders.GetAnyAsync(id, cancellationToken) : null);

    /// <summary>
    /// DELETE /{id}: the folder and its subfolders, their chats deleted (<c>delete_contents=true</c>) or moved out.
    /// Deleting chats needs <c>chat.delete</c> (403, as Open WebUI 0.11), asked only when there are chats to delete:
    /// an empty folder is anyone's to delete. An admin may delete another user's folder while admin chat access is on.
    /// </summary>
    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Delete(string id, CurrentUser caller, FolderStore folders,
        ChatAccess access, CancellationToken cancellationToken, [FromQuery(Name = "delete_contents")] bool deleteContents = false)
    {
        if (await VisibleAsync(id, caller, folders, access, cancellationToken) is not { } folder)
        {
            return Errors.NotFound();
        }
        if (deleteContents && !await access.MayAsync(caller, "chat.delete", cancellationToken)
            && await folders.HoldsChatsAsync(folder.UserId, id, cancellationToken))
        {
            return Errors.Forbidden(ErrorMessages.AccessProhibited);
        }
        await folders.DeleteAsync(folder.UserId, id, deleteContents, cancellationToken);
        return TypedResults.Ok(true);
    }
}
