using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

internal sealed record ForkForm(string? MessageId = null);

/// <summary>POST /api/v1/chats/{id}/fork (Open WebUI 0.11): a new chat of the caller's from one branch of theirs.</summary>
internal static class ChatForkHandlers
{
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Fork(string id, CurrentUser caller,
        ChatAccess access, ChatStore chats, ChatMessageStore messages, Completions.TaskRegistry tasks, CancellationToken cancellationToken,
        ForkForm? form = null)
    {
        if (!await access.MayAsync(caller, "chat.import", cancellationToken))
        {
            return Errors.Forbidden(ErrorMessages.AccessProhibited);
        }
        if (await access.OwnedAsync(id, caller, cancellationToken) is not { } source
            || await chats.ReadDocumentAsync(source, cancellationToken) is not { } doc)
        {
            return Errors.Unauthorized(ErrorMessages.Default);
        }
        if (tasks.OfChat(id).Count > 0)
        {
            return Errors.Status(StatusCodes.Status409Conflict, ErrorMessages.ForkStillAnswering);
        }
        var messageId = form?.MessageId is { Length: > 0 } asked ? asked : source.CurrentId;
        if (messageId is null)
        {
            return Errors.BadRequest(ErrorMessages.ForkNothingToFork);
        }
        var branch = await messages.PathAsync(id, messageId, cancellationToken);
        if (branch.Count == 0)
        {
            return Errors.NotFound(ErrorMessages.ForkMessageNotFound);
        }
        // A reply still streaming (from another process, or left unfinished) is not forked half-written.
        if (branch.Any(m => MessageTree.String(m["role"]) == "assistant" && m["done"] is JsonValue done && done.TryGetValue<bool>(out var d) && !d))
        {
            return Errors.Status(StatusCodes.Status409Conflict, ErrorMessages.ForkStillAnswering);
        }
        var split = MessageTree.Split(ChatFork.Document(doc, id, source.Title, messageId, branch));
        var now = chats.Now;
        var row = ChatStore.NewRow(caller.Id, split, source.FolderId, ChatFork.Meta(source.Meta, id, messageId), source.Pinned ?? false, now, now);
        await chats.InsertAsync([(row, split)], cancellationToken);
        return TypedResults.Ok(await chats.ReadAsync(row, cancellationToken));
    }
}
