using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Chats;

/// <summary>Message-level routes for tools and integrations: upsert, events, delete a branch.</summary>
internal static class ChatMessageHandlers
{
    /// <summary>
    /// POST /{id}/messages/{message_id}: merges <c>{content}</c> into the message, creating it. A new message becomes
    /// current; editing an older one leaves <c>currentId</c> where it was (Open WebUI 0.11).
    /// </summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> Upsert(
        string id, string messageId, MessageForm form, CurrentUser caller, ChatAccess access, ChatMessageStore messages,
        ChatStore chats, CancellationToken cancellationToken)
    {
        if (await access.OwnedOrAdminAsync(id, caller, cancellationToken) is null)
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        await messages.ChangeAsync(id, messageId, existing =>
        {
            var message = existing ?? new JsonObject();
            message["content"] = form.Content.Replace("\0", "");
            return message;
        }, moveCurrent: true, cancellationToken, currentOnlyWhenNew: true);
        return await chats.ReadAsync(id, cancellationToken) is { } chat
            ? TypedResults.Ok(chat)
            : Errors.Unauthorized(ErrorMessages.AccessProhibited);
    }

    /// <summary>POST /{id}/messages/{message_id}/event: persists the short event types (section 8.3) and answers true.</summary>
    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Event(
        string id, string messageId, EventForm form, CurrentUser caller, ChatAccess access, ChatMessageStore messages,
        Events.EventBus events, CancellationToken cancellationToken)
    {
        if (await access.OwnedOrAdminAsync(id, caller, cancellationToken) is not { } chat)
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        if (MessageEvents.Persistence(form.Type, form.Data) is { } persistence)
        {
            await messages.ChangeAsync(id, messageId, persistence.Change, persistence.MoveCurrent, cancellationToken, keepTime: persistence.KeepTime);
        }
        // Every event reaches the chat owner's live streams, persisted or not.
        events.Publish(chat.UserId, id, messageId, form.Type, form.Data);
        return TypedResults.Ok(true);
    }

    /// <summary>
    /// DELETE /{id}/messages/{message_id}: removes the message and its replies and answers with the chat, as Open
    /// WebUI 0.11 does; a message that is not there (already deleted, say by another tab) leaves the chat as it is.
    /// </summary>
    public static async Task<Results<Ok<ChatResponse>, JsonHttpResult<ErrorBody>>> DeleteBranch(
        string id, string messageId, CurrentUser caller, ChatAccess access, ChatMessageStore messages, ChatStore chats,
        CancellationToken cancellationToken)
    {
        if (await access.OwnedOrAdminAsync(id, caller, cancellationToken) is null)
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        await messages.DeleteBranchAsync(id, messageId, cancellationToken);
        return await chats.ReadAsync(id, cancellationToken) is { } chat
            ? TypedResults.Ok(chat)
            : Errors.Unauthorized(ErrorMessages.AccessProhibited);
    }
}
