using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.Events;

namespace Hearth.Server.Completions;

internal sealed record ActionSpec(string Id, string Name, string Description);

/// <summary>
/// POST <c>/api/chat/completed</c> and <c>/api/chat/actions/{action_id}</c>, with newer upstream's ownership
/// checks. Hearth runs no outlet filters, so <c>completed</c> marks the message done and answers the form.
/// </summary>
internal static class ChatHooksApi
{
    public const string ActionNotFound = "Action not found";

    /// <summary>Built-in actions: each changes the message it is run on.</summary>
    public static readonly ActionSpec[] Actions =
    [
        new("mark_done", "Mark done", "Marks the message as finished."),
        new("copy_to_new_chat", "Copy to a new chat", "Starts a new chat holding the message."),
    ];

    public static void MapChatHooks(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/chat/completed", Completed).RequireAuthorization().WithTags("Completions").WithName("ChatCompleted").WithSummary("Finish a completion: the web client's after-reply hook").Produces<System.Text.Json.Nodes.JsonObject>().Answers(400, 404);
        routes.MapPost("/api/chat/actions/{actionId}", Action).RequireAuthorization().WithTags("Completions").WithName("ChatAction").WithSummary("Run an action on a saved message").Produces<System.Text.Json.Nodes.JsonObject>().Answers(400, 404);
        routes.MapGet("/api/v1/actions/", () => TypedResults.Ok(Actions)).RequireAuthorization().WithTags("Completions").WithName("ListActions").WithSummary("List the available message actions");
    }

    private static bool SkipsCheck(string? chatId) => string.IsNullOrEmpty(chatId) || CompletionRequest.IsTemporaryChatId(chatId);

    public static async Task<IResult> Completed(JsonObject form, CurrentUser caller, ChatAccess access, ChatMessageStore messages,
        CancellationToken cancellationToken)
    {
        var chatId = MessageTree.String(form["chat_id"]);
        if (chatId is not null && chatId.StartsWith("channel:", StringComparison.Ordinal))
        {
            return Errors.BadRequest(ErrorMessages.ChannelChatsHaveNoCompletions);
        }
        if (!SkipsCheck(chatId))
        {
            if (await access.OwnedOrAdminAsync(chatId!, caller, cancellationToken) is null)
            {
                return Errors.NotFound();
            }
            if (MessageTree.String(form["id"]) is { } messageId)
            {
                await messages.ChangeAsync(chatId!, messageId, m =>
                {
                    if (m is null)
                    {
                        return null;
                    }
                    m["done"] = true;
                    return m;
                }, moveCurrent: false, cancellationToken);
            }
        }
        return TypedResults.Json(form);
    }

    public static async Task<IResult> Action(string actionId, JsonObject form, CurrentUser caller, ChatAccess access, ChatMessageStore messages,
        ChatStore chats, EventBus events, CancellationToken cancellationToken)
    {
        var id = actionId.Split('.', 2)[0];
        if (Actions.All(a => a.Id != id))
        {
            return Errors.NotFound(ActionNotFound);
        }
        var chatId = MessageTree.String(form["chat_id"]);
        var messageId = MessageTree.String(form["id"]);
        var chat = SkipsCheck(chatId) ? null : await access.OwnedOrAdminAsync(chatId!, caller, cancellationToken);
        if (!SkipsCheck(chatId) && chat is null)
        {
            return Errors.NotFound();
        }
        if (chat is null || messageId is null)
        {
            return Errors.BadRequest(ErrorMessages.ActionNeedsSavedMessage);
        }
        if (id == "mark_done")
        {
            await messages.ChangeAsync(chatId!, messageId, m => m is null ? null : Done(m), moveCurrent: false, cancellationToken);
            events.Publish([chat.UserId, caller.Id], chatId!, messageId, "chat:message", new JsonObject { ["done"] = true });
            return TypedResults.Ok(new { status = true });
        }
        var source = await chats.GetAsync(chatId!, cancellationToken);
        var message = await messages.GetAsync(chatId!, messageId, cancellationToken);
        if (source is null || message is null)
        {
            return Errors.NotFound();
        }
        var doc = new JsonObject
        {
            ["title"] = $"From {source.Title}",
            ["history"] = new JsonObject { ["messages"] = new JsonObject { [messageId] = Root(message) }, ["currentId"] = messageId },
        };
        var row = await chats.CreateAsync(caller.Id, doc, null, cancellationToken);
        return TypedResults.Ok(new { status = true, chat_id = row.Id });
    }

    private static JsonObject Done(JsonObject message)
    {
        message["done"] = true;
        return message;
    }

    private static JsonObject Root(JsonObject message)
    {
        message["parentId"] = null;
        message["childrenIds"] = new JsonArray();
        return message;
    }
}
