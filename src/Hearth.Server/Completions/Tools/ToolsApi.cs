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
        group.MapGet("/", async (ToolRegistry tools, CurrentUser caller, ChatAccess access, CancellationToken ct) =>
        {
            var usable = new List<ToolSpec>();
            foreach (var tool in tools.All)
            {
                if (await ForbiddenAsync([tools.Find(tool.Id)!], caller, access, ct) is null)
                {
                    usable.Add(tool);
                }
            }
            return TypedResults.Ok(usable);
        }).WithName("ListTools").WithSummary("Tools the caller may use");
        group.MapPost("/{toolId}/run", Run).WithName("RunTool").WithSummary("Run a tool").Answers(404);
    }

    /// <summary>Runs a tool; with a chat id (the caller's, or any while an admin may reach chats) its files become artifacts of that chat and message.</summary>
    public static async Task<Results<Ok<ToolRunResponse>, JsonHttpResult<ErrorBody>>> Run(string toolId, ToolRunForm form, CurrentUser caller,
        ToolRegistry tools, ToolExecution execution, ChatAccess access, CancellationToken cancellationToken)
    {
        if (tools.Find(toolId) is not { } tool)
        {
            return Errors.NotFound(ErrorMessages.ToolNotFound(toolId));
        }
        if (await ForbiddenAsync([tool], caller, access, cancellationToken) is { } refusal)
        {
            return refusal;
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
        var run = new CompletionRun(ownerId, form.ChatId is null ? null : new ReplyTarget(form.ChatId, form.MessageId));
        var files = await execution.StoreFilesAsync(result.Files, run, cancellationToken);
        return TypedResults.Ok(new ToolRunResponse(result.Content, result.IsError, files));
    }

    /// <summary>A 403 naming the first of the tools the caller lacks the permission for (admins have them all); null when they may use every one.</summary>
    public static async Task<JsonHttpResult<ErrorBody>?> ForbiddenAsync(IEnumerable<ITool> tools, CurrentUser caller, ChatAccess access, CancellationToken cancellationToken)
    {
        foreach (var tool in tools)
        {
            if (tool.Permission is { } permission && !await access.MayAsync(caller, permission, cancellationToken))
            {
                return Errors.Forbidden(ErrorMessages.ToolNotPermitted(tool.Id, permission));
            }
        }
        return null;
    }
}
