using System.Text.Json.Nodes;
using Hearth.Server.Audit;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

/// <summary>Routes on one chat: create, import, read, replace, delete, pin, archive, move, clone.</summary>
internal static class ChatItemHandlers
{
    private static JsonHttpResult<ErrorBody> Refused(string detail) => Errors.Unauthorized(detail);

    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Create(
        ChatForm form, CurrentUser caller, ChatStore chats, FolderStore folders, CancellationToken cancellationToken)
    {
        if (form.FolderId is not null && await folders.GetAsync(caller.Id, form.FolderId, cancellationToken) is null)
        {
            return Errors.NotFound();
        }
        var row = await chats.CreateAsync(caller.Id, form.Chat, form.FolderId, cancellationToken);
        return TypedResults.Ok(await chats.ReadAsync(row, cancellationToken));
    }

    public static async Task<Results<Ok<List<ChatResponse>>, JsonHttpResult<ErrorBody>>> Import(
        ChatsImportForm form, CurrentUser caller, ChatStore chats, FolderStore folders, TagStore tags, ChatAccess access,
        CancellationToken cancellationToken)
    {
        if (!await access.MayAsync(caller, "chat.import", cancellationToken))
        {
            return Refused(ErrorMessages.AccessProhibited);
        }
        var now = chats.Now;
        var rows = new List<(ChatRow, SplitChat)>();
        foreach (var entry in form.Chats)
        {
            if (entry.FolderId is not null && await folders.GetAsync(caller.Id, entry.FolderId, cancellationToken) is null)
            {
                return Errors.NotFound();
            }
            var split = MessageTree.Split(entry.Chat);
            // Tags are lifted out of meta into rows of their own, so U+0000 goes from meta as from the document.
            var meta = (MessageTree.StripNul(entry.Meta) ?? new JsonObject()).ToJsonString(MessageTree.Compact);
            rows.Add((ChatStore.NewRow(caller.Id, split, entry.FolderId, meta, entry.Pinned ?? false,
                entry.CreatedAt is > 0 ? entry.CreatedAt.Value : now, entry.UpdatedAt is > 0 ? entry.UpdatedAt.Value : now), split));
        }
        var created = await chats.InsertAsync(rows, cancellationToken);
        await tags.EnsureAllAsync(caller.Id, created.Select(row => row.Meta), cancellationToken);
        var responses = new List<ChatResponse>();
        foreach (var row in created)
        {
            responses.Add(await chats.ReadAsync(row, cancellationToken));
        }
        return TypedResults.Ok(responses);
    }

    /// <summary>
    /// GET /{id}: the chat, for its owner, an admin with admin chat access, or someone a grant lets read it (the
    /// live chat, as upstream); its owner opening it reads it (anyone else looking leaves it as it is). A chat
    /// deleted after the access check answers as a missing one.
    /// </summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Get(
        string id, CurrentUser caller, ChatStore chats, ChatGrants grants, ChatReadState reads, CancellationToken cancellationToken)
    {
        if (await grants.ReadableAsync(id, caller, cancellationToken) is not { } row)
        {
            return Refused(ErrorMessages.NotFound);
        }
        if (row.UserId == caller.Id && (row.LastReadAt is null || row.LastReadAt < row.UpdatedAt))
        {
            await reads.MarkReadAsync(caller.Id, row.Id, cancellationToken);
        }
        return await chats.ReadAsync(id, cancellationToken) is { } chat ? TypedResults.Ok(chat) : Refused(ErrorMessages.NotFound);
    }

    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Update(
        string id, ChatForm form, CurrentUser caller, ChatStore chats, CancellationToken cancellationToken) =>
        await chats.ReplaceAsync(id, caller.Id, form.Chat, cancellationToken) is { } row
            ? TypedResults.Ok(await chats.ReadAsync(row, cancellationToken))
            : Refused(ErrorMessages.AccessProhibited);

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Delete(
        string id, CurrentUser caller, ChatStore chats, TagStore tags, ChatAccess access, CancellationToken cancellationToken)
    {
        if (!await access.MayAsync(caller, "chat.delete", cancellationToken))
        {
            return Refused(ErrorMessages.AccessProhibited);
        }
        var row = await chats.GetAsync(id, cancellationToken);
        if (row is null || row.IsShareSnapshot || !access.IsOwnerOrAdmin(row, caller))
        {
            return Errors.NotFound();
        }
        await chats.DeleteAsync(id, cancellationToken);
        await tags.DeleteOrphansAsync(row.UserId, ChatWrites.TagsOf(row.Meta), cancellationToken);
        return TypedResults.Ok(true);
    }

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> DeleteAll(
        CurrentUser caller, ChatStore chats, ChatAccess access, CancellationToken cancellationToken)
    {
        if (!await access.MayAsync(caller, "chat.delete", cancellationToken))
        {
            return Refused(ErrorMessages.AccessProhibited);
        }
        await chats.DeleteAllAsync(caller.Id, cancellationToken);
        return TypedResults.Ok(true);
    }

    public static async Task<Results<Ok<bool?>, JsonHttpResult<ErrorBody>>> GetPinned(
        string id, CurrentUser caller, ChatAccess access, CancellationToken cancellationToken) =>
        await access.OwnedAsync(id, caller, cancellationToken) is { } row
            ? TypedResults.Ok(row.Pinned)
            : Refused(ErrorMessages.Default);

    public static Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> TogglePin(
        string id, CurrentUser caller, ChatStore chats, CancellationToken cancellationToken) =>
        ChangeFlags(id, caller, chats, row =>
        {
            row.Pinned = !(row.Pinned ?? false);
            row.UpdatedAt = chats.Now;
        }, cancellationToken);

    /// <summary>Whether the chat is kept: <c>meta.keep</c> is true, which exempts it from retention.</summary>
    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> GetKeep(
        string id, CurrentUser caller, ChatAccess access, CancellationToken cancellationToken) =>
        await access.OwnedAsync(id, caller, cancellationToken) is { } row
            ? TypedResults.Ok(ChatKeep.IsKept(row.Meta))
            : Refused(ErrorMessages.Default);

    /// <summary>Turns <c>meta.keep</c> on or off (Hearth's own route; retention passes a kept chat by).</summary>
    public static Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> ToggleKeep(
        string id, CurrentUser caller, ChatStore chats, CancellationToken cancellationToken) =>
        ChangeFlags(id, caller, chats, row =>
        {
            row.Meta = ChatKeep.Toggled(row.Meta);
            row.UpdatedAt = chats.Now;
        }, cancellationToken);

    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> ToggleArchive(
        string id, CurrentUser caller, ChatStore chats, TagStore tags, CancellationToken cancellationToken)
    {
        var result = await ChangeFlags(id, caller, chats, row =>
        {
            row.Archived = !row.Archived;
            row.FolderId = null;
            row.UpdatedAt = chats.Now;
        }, cancellationToken);
        if (result.Result is Ok<ChatResponse> { Value: { } chat })
        {
            var chatTags = ChatWrites.TagsOf(chat.Meta.Text);
            if (chat.Archived)
            {
                await tags.DeleteOrphansAsync(caller.Id, chatTags, cancellationToken);
            }
            else
            {
                foreach (var tag in chatTags)
                {
                    await tags.EnsureAsync(caller.Id, tag, tag, cancellationToken);
                }
            }
        }
        return result;
    }

    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> MoveToFolder(
        string id, ChatFolderIdForm form, CurrentUser caller, ChatStore chats, FolderStore folders, CancellationToken cancellationToken)
    {
        if (await chats.GetAsync(id, cancellationToken) is not { } existing || existing.UserId != caller.Id)
        {
            return Refused(ErrorMessages.Default);
        }
        if (form.FolderId is not null && await folders.GetAsync(caller.Id, form.FolderId, cancellationToken) is null)
        {
            return Errors.NotFound();
        }
        return await ChangeFlags(id, caller, chats, row =>
        {
            row.FolderId = form.FolderId;
            row.Pinned = false;
            row.UpdatedAt = chats.Now;
        }, cancellationToken);
    }

    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Clone(
        string id, CloneForm form, CurrentUser caller, ChatAccess access, ChatCopies copies, ChatStore chats, CancellationToken cancellationToken)
    {
        if (await access.OwnedAsync(id, caller, cancellationToken) is not { } source)
        {
            return Refused(ErrorMessages.Default);
        }
        if (!await access.MayAsync(caller, "chat.import", cancellationToken))
        {
            return Refused(ErrorMessages.AccessProhibited);
        }
        return await copies.CloneAsync(source.Id, caller.Id, form.Title ?? $"Clone of {source.Title}", cancellationToken) is { } clone
            ? TypedResults.Ok(await chats.ReadAsync(clone, cancellationToken))
            : Refused(ErrorMessages.Default);
    }

    private static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> ChangeFlags(
        string id, CurrentUser caller, ChatStore chats, Action<ChatRow> change, CancellationToken cancellationToken) =>
        await chats.UpdateFlagsAsync(id, caller.Id, row =>
        {
            change(row);
            return true;
        }, cancellationToken) is { } updated
            ? TypedResults.Ok(await chats.ReadAsync(updated, cancellationToken))
            : Refused(ErrorMessages.Default);

    /// <summary>POST /{id}/title: sets the title in the row and in the document, as title generation does upstream.</summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Rename(string id, ChatTitleForm form, CurrentUser caller,
        ChatStore chats, CancellationToken cancellationToken)
    {
        var title = form.Title.Replace("\0", "");
        return await chats.ReplaceAsync(id, caller.Id, new JsonObject { ["title"] = title }, cancellationToken) is { } row
            ? TypedResults.Ok(await chats.ReadAsync(row, cancellationToken))
            : Errors.Unauthorized(ErrorMessages.NotFound);
    }
}
