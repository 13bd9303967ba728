using Hearth.Server.Auth;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Completions.Tools;

/// <summary><c>/api/v1/tools</c>: the built-in tools with their schemas, and running one directly.</summary>
internal static class ToolsApi
{
    public static void MapTools(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/tools").WithTags("Tools").RequireAuthorization();
        group.MapGet("/", (ToolRegistry tools) => TypedResults.Ok(tools.All)).WithName("ListTools");
        group.MapPost("/{toolId}/run", Run).WithName("RunTool");
    }

    /// <summary>Runs a tool; with a chat id (the caller's, or any while an admin may reach chats) its files become artifacts of that chat and message.</summary>
    public static async Task<Results<Ok<ToolRunResponse>, JsonHttpResult<ErrorBody>>> Run(string toolId, ToolRunForm form, CurrentUser caller,
        ToolRegistry tools, ToolExecution execution, ChatAccess access, CancellationToken cancellationToken)
    {
        if (tools.Find(toolId) is null)
        {
            return Errors.NotFound($"Tool not found: {toolId}");
        }
        // The files of a run in a chat belong to the chat's owner, as a completion's do, whoever ran it.
        var ownerId = caller.Id;
        if (form.ChatId is not null)
        {
            if (await access.OwnedOrAdminAsync(form.ChatId, caller, cancellationToken) is not { } chat)
            {
                return Errors.NotFound();
            }
            ownerId = chat.UserId;
        }
        var result = await tools.RunAsync(toolId, form.Arguments ?? new System.Text.Json.Nodes.JsonObject(), cancellationToken);
        var targets = new RunTargets(null, null, ownerId, form.ChatId, form.MessageId);
        var files = await execution.StoreFilesAsync(result.Files, targets, cancellationToken);
        return TypedResults.Ok(new ToolRunResponse(result.Content, result.IsError, files));
    }
}
