using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Completions;

/// <summary><c>/api/chat/completions</c> and the model list: proxying to model servers and saving replies into chats.</summary>
internal static class CompletionsApi
{
    public static void MapCompletions(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Completions").RequireAuthorization();
        api.MapGet("/models", async (CurrentUser caller, ModelMenu menu, CancellationToken ct) => TypedResults.Ok(await menu.ListAsync(caller, ct)))
            .WithName("ListModels").WithSummary("Models the caller may use");
        // A catch-all: model ids hold slashes (org/model), sent as they are or encoded (%2F) as the OpenAI SDKs do.
        api.MapGet("/models/{**id}", GetModel).WithName("GetModel").WithSummary("One model the caller may use").Answers(404);
        api.MapPost("/chat/completions", Complete).WithName("ChatCompletion").WithSummary("Chat completion (OpenAI-compatible), optionally saved into a chat").Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, "application/json", "text/event-stream").Answers(400, 404, 429, 502, 503, 504);
        api.MapTitleTask();
        api.MapPost("/v1/chat/completions", Complete).WithName("ChatCompletionV1").WithSummary("Chat completion (OpenAI-compatible path)").Produces<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, "application/json", "text/event-stream").Answers(400, 404, 429, 502, 503, 504);
        // Admins reach other users' tasks only while they may reach their chats (ENABLE_ADMIN_CHAT_ACCESS).
        api.MapPost("/tasks/stop/{taskId}", (string taskId, CurrentUser caller, ChatAccess access, TaskRegistry tasks) =>
            tasks.Stop(taskId, caller.Id, caller.IsAdmin && access.AdminChatAccess) ? Results.Ok(new { status = true }) : Errors.NotFound())
            .WithName("StopTask").WithSummary("Stop a background generation").Produces<System.Text.Json.Nodes.JsonObject>().Answers(404);
        // A temporary chat (local:) is stored nowhere, so its tasks are the caller's own: the app asks after a dropped
        // event stream whether a reply is still being generated, since nothing stored can say.
        api.MapGet("/tasks/chat/{chatId}", async (string chatId, CurrentUser caller, ChatAccess access, TaskRegistry tasks, CancellationToken ct) =>
            CompletionRequest.IsTemporaryChatId(chatId) ? Results.Ok(new { task_ids = tasks.OfChat(chatId, caller.Id) })
            : await access.OwnedOrAdminAsync(chatId, caller, ct) is null ? Errors.NotFound()
            : Results.Ok(new { task_ids = tasks.OfChat(chatId) })).WithName("ChatTasks").WithSummary("A chat's running generations").Produces<System.Text.Json.Nodes.JsonObject>().Answers(404);
        // Open WebUI 0.9+: the whole list is an admin's; a user stops their own chat's generations by the chat.
        api.MapGet("/tasks", (TaskRegistry tasks) => Results.Ok(new { tasks = tasks.All() }))
            .RequireAuthorization(Auth.AuthSetup.Admin).WithName("ListTasks").WithSummary("Every running generation (admins)").Produces<System.Text.Json.Nodes.JsonObject>();
        api.MapPost("/tasks/chat/{chatId}/stop", async (string chatId, CurrentUser caller, ChatAccess access, TaskRegistry tasks, CancellationToken ct) =>
            await access.OwnedOrAdminAsync(chatId, caller, ct) is null
                ? Errors.NotFound()
                : Results.Ok(new { status = true, task_ids = tasks.StopChat(chatId) })).WithName("StopChatTasks").WithSummary("Stop a chat's running generations").Produces<System.Text.Json.Nodes.JsonObject>().Answers(404);
    }

    /// <summary>One model as <c>/api/models</c> lists it (the SDKs' <c>models.retrieve</c>); one the caller may not use is not found.</summary>
    public static async Task<Results<Ok<ModelInfo>, JsonHttpResult<ErrorBody>>> GetModel(string id, CurrentUser caller, ModelMenu menu,
        CancellationToken cancellationToken)
    {
        // The server decodes every escape in a path but %2F, which would split it.
        var model = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        try
        {
            return await menu.FindAsync(caller, model, cancellationToken) is { } info ? TypedResults.Ok(info) : Errors.NotFound(ErrorMessages.ModelNotFound);
        }
        catch (UpstreamFailure failure)
        {
            return Errors.Status(failure.Status, failure.Message);
        }
    }

    public static async Task<IResult> Complete(JsonObject body, CurrentUser caller, HttpContext http, ModelCatalog catalog, ModelMenu menu,
        ChatAccess access, CompletionModes modes, CancellationToken cancellationToken)
    {
        var (request, problem) = CompletionRequest.From(body);
        if (request is null)
        {
            return Errors.Invalid(problem!, ErrorMessages.FieldRequired(problem!), null, "missing");
        }
        if (catalog.Connections.Count == 0)
        {
            return Errors.Status(503, ErrorMessages.NoModelConnection);
        }
        if (request.ToolIds.FirstOrDefault(id => modes.Tools.Find(id) is null) is { } unknownTool)
        {
            return Errors.BadRequest(ErrorMessages.ToolNotFound(unknownTool));
        }
        if (await Tools.ToolsApi.ForbiddenAsync(request.ToolIds.Select(id => modes.Tools.Find(id)!), caller, access, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        // Ownership first: nothing reaches the model server for a chat that is not the caller's.
        var ownerId = caller.Id;
        ChatRow? chat = null;
        if (!request.IsTemporaryChat)
        {
            chat = await access.OwnedOrAdminAsync(request.ChatId!, caller, cancellationToken);
            if (chat is null)
            {
                return Errors.NotFound();
            }
            ownerId = chat.UserId;
        }
        // A model the caller may not use is not found, as upstream answers; a workspace entry's params apply.
        ModelChoice? choice;
        try
        {
            choice = await menu.ChooseAsync(caller, request.Model, cancellationToken);
        }
        catch (UpstreamFailure failure)
        {
            return Errors.Status(failure.Status, failure.Message);
        }
        if (choice is null)
        {
            return Errors.BadRequest(ErrorMessages.ModelNotFound);
        }
        var connection = choice.Connection;
        request = ModelParameters.Apply(request, choice);
        if (request.SessionId is not null && request.MessageId is not null)
        {
            return await modes.StartInBackgroundAsync(connection, request, caller, ownerId, cancellationToken);
        }
        return await modes.AnswerAsync(connection, request, caller, ownerId, chat, http, cancellationToken);
    }
}
