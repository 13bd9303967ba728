using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Chats;

/// <summary>Tags of a chat (chats-api.md section 5): ids normalised, tag rows created on use, orphans deleted.</summary>
internal static class ChatTagHandlers
{
    public const string NoneTag = "none";

    public static async Task<Ok<IEnumerable<TagModel>>> All(CurrentUser caller, TagStore tags, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tags.AllAsync(caller.Id, cancellationToken)).Select(t => t.ToModel()));

    public static async Task<Results<Ok<IEnumerable<TagModel>>, JsonHttpResult<ErrorBody>>> OfChat(
        string id, CurrentUser caller, ChatGrants grants, TagStore tags, CancellationToken cancellationToken) =>
        await grants.ReadableAsync(id, caller, cancellationToken) is { } row
            ? TypedResults.Ok((await tags.ByIdsAsync(row.UserId, ChatWrites.TagsOf(row.Meta), cancellationToken)).Select(t => t.ToModel()))
            : Errors.Unauthorized(ErrorMessages.NotFound);

    public static async Task<Results<Ok<IEnumerable<TagModel>>, JsonHttpResult<ErrorBody>>> Add(
        string id, TagForm form, CurrentUser caller, ChatStore chats, TagStore tags, CancellationToken cancellationToken)
    {
        var tag = TagStore.Normalise(form.Name);
        if (tag == NoneTag)
        {
            return Errors.BadRequest(ErrorMessages.DefaultWith(ErrorMessages.TagNamedNone));
        }
        if (string.IsNullOrWhiteSpace(tag))
        {
            return Errors.BadRequest(ErrorMessages.DefaultWith(ErrorMessages.TagNameEmpty));
        }
        var row = await chats.UpdateFlagsAsync(id, caller.Id, chat =>
        {
            var current = ChatWrites.TagsOf(chat.Meta);
            if (current.Contains(tag))
            {
                return false;
            }
            chat.Meta = ChatWrites.WithTags(chat.Meta, current.Append(tag));
            return true;
        }, cancellationToken);
        if (row is null)
        {
            return Errors.Unauthorized(ErrorMessages.Default);
        }
        await tags.EnsureAsync(caller.Id, tag, form.Name, cancellationToken);
        return TypedResults.Ok((await tags.ByIdsAsync(caller.Id, ChatWrites.TagsOf(row.Meta), cancellationToken)).Select(t => t.ToModel()));
    }

    /// <summary>DELETE with a JSON body, as Open WebUI's client sends it.</summary>
    public static Task<Results<Ok<IEnumerable<TagModel>>, JsonHttpResult<ErrorBody>>> Remove(
        string id, [FromBody] TagForm form, CurrentUser caller, ChatStore chats, TagStore tags, CancellationToken cancellationToken) =>
        RemoveWhere(id, caller, chats, tags, t => t == TagStore.Normalise(form.Name), cancellationToken);

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> RemoveAll(
        string id, CurrentUser caller, ChatStore chats, TagStore tags, CancellationToken cancellationToken) =>
        (await RemoveWhere(id, caller, chats, tags, _ => true, cancellationToken)).Result is JsonHttpResult<ErrorBody> error
            ? error
            : TypedResults.Ok(true);

    private static async Task<Results<Ok<IEnumerable<TagModel>>, JsonHttpResult<ErrorBody>>> RemoveWhere(
        string id, CurrentUser caller, ChatStore chats, TagStore tags, Func<string, bool> remove, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var row = await chats.UpdateFlagsAsync(id, caller.Id, chat =>
        {
            var current = ChatWrites.TagsOf(chat.Meta);
            removed.AddRange(current.Where(remove));
            if (removed.Count == 0)
            {
                return false;
            }
            chat.Meta = ChatWrites.WithTags(chat.Meta, current.Where(t => !remove(t)));
            return true;
        }, cancellationToken);
        if (row is null)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        await tags.DeleteOrphansAsync(caller.Id, removed, cancellationToken);
        return TypedResults.Ok((await tags.ByIdsAsync(caller.Id, ChatWrites.TagsOf(row.Meta), cancellationToken)).Select(t => t.ToModel()));
    }
}
