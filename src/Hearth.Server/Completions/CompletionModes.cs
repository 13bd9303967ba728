using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.Completions.Tools;

namespace Hearth.Server.Completions;

/// <summary>
/// The three ways a completion is answered: a pure proxy (no chat), a proxy that also saves the reply into
/// the chat (even when the client leaves), and the web client's mode that answers at once and generates
/// in the background.
/// </summary>
internal sealed class CompletionModes(CompletionRunner runner, ModelClient client, ChatMessageStore messages, ChatStore chats,
    FolderStore folders, ConversationContext context, ReplyRecorders recorders, TaskRegistry tasks, ToolRegistry tools,
    ChatTitles titles, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<CompletionModes> logger)
{
    public ToolRegistry Tools => tools;

    /// <param name="ownerId">Whose chat the reply goes into: its artifacts are theirs and they get its live updates.</param>
    /// <param name="chat">The chat's row as the access check read it (null for a temporary chat).</param>
    public async Task<IResult> AnswerAsync(ModelConnection connection, CompletionRequest request, CurrentUser caller, string ownerId,
        ChatRow? chat, HttpContext http, CancellationToken cancellationToken)
    {
        if (!request.IsTemporaryChat)
        {
            request = await context.ForChatAsync(request, request.ChatId!, null, cancellationToken, chat);
        }
        var saving = !request.IsTemporaryChat && request.MessageId is not null;
        var recorder = saving ? recorders.Create([ownerId, caller.Id], request.ChatId!, request.MessageId!) : null;
        // A reply being saved outlives its client; a pure proxy stops when its client goes.
        var runToken = saving ? lifetime.ApplicationStopping : cancellationToken;
        recorder?.Begin(request.ParentId, request.Model, runToken);
        if (!request.Stream)
        {
            var run = Run(ownerId, request, recorder, null);
            try
            {
                var completion = await runner.CompleteAsync(connection, request, run, runToken);
                return TypedResults.Json(completion);
            }
            catch (Exception e) when (Failure(e) is { } failure)
            {
                await run.FailedAsync(failure.Message);
                return Errors.Status(failure.Status, failure.Message);
            }
        }
        if (!saving && request.ToolIds.Count == 0 && connection.Kind == ConnectionKind.OpenAi)
        {
            return await PassThroughAsync(connection, request, cancellationToken);
        }
        return new ServerSentEventsResult(async events =>
        {
            var run = Run(ownerId, request, recorder, payload => events.DataAsync(payload));
            try
            {
                // A saved reply's run goes on without its client; a pure proxy's ends with its stream.
                await runner.StreamAsync(connection, request, run, run.IsSaved ? runToken : events.Ended);
            }
            catch (Exception e) when (Failure(e) is { } failure)
            {
                await run.FailedAsync(failure.Message);
                await FailAsync(events, failure.Status, failure.Message);
            }
            catch (OperationCanceledException) when (run.IsSaved)
            {
                await run.StoppedAsync();
            }
            catch (OperationCanceledException) when (events.Ended.IsCancellationRequested)
            {
                // A pure proxy whose client left, or a stopping server: nothing is left to answer.
            }
        });
    }

    /// <summary>The fastest path: the model server's bytes copied to the client as they arrive, untouched.</summary>
    private async Task<IResult> PassThroughAsync(ModelConnection connection, CompletionRequest request, CancellationToken cancellationToken)
    {
        HttpResponseMessage upstream;
        try
        {
            upstream = await client.SendAsync(connection, request.Upstream, stream: true, cancellationToken);
        }
        catch (UpstreamFailure failure)
        {
            return Errors.Status(failure.Status, failure.Message);
        }
        return new ServerSentEventsResult(async events =>
        {
            using (upstream)
            {
                try
                {
                    await using var body = await upstream.Content.ReadAsStreamAsync(events.Ended);
                    using var streaming = Telemetry.HearthTelemetry.Stream("proxy");
                    await SseRelay.CopyAsync(body, events.Response.Body, events.Ended);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !events.Ended.IsCancellationRequested)
                {
                    var failure = Failure(e)!;
                    await SseRelay.FailAsync(events.Response.Body, failure.Status, failure.Message, events.Ended);
                }
                catch (OperationCanceledException) when (events.Ended.IsCancellationRequested)
                {
                    // The client left or the server is stopping.
                }
            }
        });
    }

    /// <summary>Web-client mode: make sure the chat and the user's message exist, answer at once, generate in the background.</summary>
    public async Task<IResult> StartInBackgroundAsync(ModelConnection connection, CompletionRequest request, CurrentUser caller,
        string ownerId, CancellationToken cancellationToken)
    {
        var chatId = request.ChatId;
        // A temporary chat of the web client (a local: id): nothing is stored, the reply only goes out as events.
        var temporary = chatId is not null && request.IsTemporaryChat;
        if (chatId is null)
        {
            if (request.FolderId is not null && await folders.GetAsync(caller.Id, request.FolderId, cancellationToken) is null)
            {
                return Errors.NotFound();
            }
            chatId = await CreateChatAsync(request, caller, cancellationToken);
        }
        else if (!temporary && request.UserMessage is { } userMessage && MessageTree.String(userMessage["id"]) is { } userMessageId)
        {
            await messages.ChangeAsync(chatId, userMessageId, existing => existing is null ? ConversationContext.WithAuthor(userMessage, caller) : null,
                moveCurrent: true, cancellationToken);
            if (MessageTree.String(userMessage["parentId"]) is { } userParentId)
            {
                await messages.AddChildAsync(chatId, userParentId, userMessageId, cancellationToken);
            }
        }
        var parentId = request.ParentId ?? MessageTree.String(request.UserMessage?["id"]);
        if (!temporary)
        {
            request = await context.ForChatAsync(request, chatId, parentId, cancellationToken);
        }
        var audience = new[] { ownerId, caller.Id };
        var recorder = recorders.Create(audience, chatId, request.MessageId!, store: !temporary);
        // The title the chat has now: one the model makes later is written only over it (a rename meanwhile wins).
        var titleBefore = !temporary && request.WantsTitle && titles.Enabled && ChatTitles.IsFirstExchange(request.Upstream["messages"] as JsonArray)
            ? (await chats.GetAsync(chatId, cancellationToken))?.Title
            : null;
        // The task is the chat owner's, so they can stop it whoever started it.
        var taskId = tasks.Start(ownerId, chatId, async stop =>
        {
            recorder.Begin(parentId, request.Model, stop);
            var run = Run(ownerId, request with { ChatId = chatId }, recorder, null);
            try
            {
                await runner.StreamAsync(connection, request, run, stop);
            }
            catch (Exception e) when (Failure(e) is { } failure)
            {
                await run.FailedAsync(failure.Message);
                return;
            }
            catch (OperationCanceledException)
            {
                await run.StoppedAsync();
                return;
            }
            if (titleBefore is not null)
            {
                await TitleAsync(connection, request, audience, chatId, titleBefore, recorder.Content, stop);
            }
        }, logger);
        return TypedResults.Ok(new { chat_id = chatId, task_ids = new[] { taskId } });
    }

    /// <summary>The title task, after a first reply that ended well; a stop or shutdown meanwhile leaves the title as it is.</summary>
    private async Task TitleAsync(ModelConnection connection, CompletionRequest request, string[] audience, string chatId, string expected,
        string reply, CancellationToken stop)
    {
        var conversation = (request.Upstream["messages"] as JsonArray ?? [])
            .Select(m => (Role: MessageTree.String(m?["role"]) ?? "", Text: MessageTree.Text(m?["content"])))
            .Where(m => m.Role is "user" or "assistant")
            .Append(("assistant", reply))
            .ToList();
        try
        {
            // The model as the model server knows it (a workspace model or a prefixed connection names another upstream).
            var model = MessageTree.String(request.Upstream["model"]) ?? request.Model;
            await titles.GiveAsync(connection, model, audience, chatId, request.MessageId!, expected, conversation, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopped: the reply is whole, the chat keeps its title.
        }
    }

    private async Task<string> CreateChatAsync(CompletionRequest request, CurrentUser caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var history = new JsonObject();
        string? currentId = null;
        if (request.UserMessage is { } userMessage && MessageTree.String(userMessage["id"]) is { } id)
        {
            history[id] = ConversationContext.WithAuthor(userMessage, caller);
            currentId = id;
        }
        var doc = new JsonObject
        {
            ["title"] = MessageTree.DefaultTitle,
            ["models"] = new JsonArray(request.Model),
            ["history"] = new JsonObject { ["messages"] = history, ["currentId"] = currentId },
            ["messages"] = new JsonArray(),
            ["timestamp"] = now * 1000,
        };
        return (await chats.CreateAsync(caller.Id, doc, request.FolderId, cancellationToken)).Id;
    }

    /// <summary>
    /// Any failure of a run but a cancellation, as the answer and the error saved on the message: a reply is
    /// never left unfinished because a stream broke, a chunk was not JSON or a tool threw.
    /// </summary>
    private UpstreamFailure? Failure(Exception e)
    {
        if (e is OperationCanceledException)
        {
            return null;
        }
        if (UpstreamFailure.Of(e) is { } failure)
        {
            return failure;
        }
        logger.LogError(e, "A completion run failed");
        return new UpstreamFailure(500, Common.ErrorMessages.Default);
    }


    /// <summary>Before any byte: a proper status and detail. After: an error event the client can show (the OpenAI SDKs throw it).</summary>
    private static async Task FailAsync(ServerSentEvents events, int status, string detail)
    {
        if (!events.Response.HasStarted)
        {
            events.Response.StatusCode = status;
            events.Response.ContentType = "application/json";
            await events.Response.WriteAsJsonAsync(new ErrorBody(detail), JsonSettings.Wire);
            return;
        }
        await events.DataAsync(OpenAiErrors.StreamEvent(status, detail));
        await events.DataAsync("[DONE]");
    }

    /// <summary>A run keeps files in its chat unless it is a temporary chat (or has no chat at all).</summary>
    private static CompletionRun Run(string ownerId, CompletionRequest request, ReplyRecorder? recorder, Func<ReadOnlyMemory<byte>, Task>? client) =>
        new(ownerId, request.IsTemporaryChat || request.ChatId is null ? null : new ReplyTarget(request.ChatId, request.MessageId), recorder, client);
}
