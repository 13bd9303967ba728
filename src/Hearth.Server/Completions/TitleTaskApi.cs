using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.Models;

namespace Hearth.Server.Completions;

/// <summary>
/// <c>POST /api/v1/tasks/title/completions</c>, Open WebUI's title task asked for directly (clients that title chats
/// themselves call it): the conversation's <c>messages</c> go into the title prompt, the task model (<c>TASK_MODEL</c>,
/// <c>TASK_MODEL_EXTERNAL</c>) or the named model answers, and its completion comes back as the model server sent it,
/// the title as JSON in its reply's text. As upstream, a server with titles turned off answers 200 with a
/// <c>detail</c> saying so, and a model the caller may not use is not found (404).
/// </summary>
internal static class TitleTaskApi
{
    public static void MapTitleTask(this IEndpointRouteBuilder api) =>
        api.MapPost("/v1/tasks/title/completions", GenerateAsync).WithName("GenerateTitle")
            .WithSummary("A title for a conversation, made by the task model (Open WebUI's title task)")
            .Produces<JsonObject>().Answers(400, 404, 422, 429, 502, 503, 504);

    public static async Task<IResult> GenerateAsync(JsonObject body, CurrentUser caller, ModelMenu menu, ChatTitles titles,
        ModelCatalog catalog, CancellationToken cancellationToken)
    {
        if (!titles.Enabled)
        {
            return TypedResults.Ok(new ErrorBody(ErrorMessages.TitleGenerationDisabled));
        }
        if (MessageTree.String(body["model"]) is not { Length: > 0 } model)
        {
            return Errors.Invalid("model", ErrorMessages.FieldRequired("model"), null, "missing");
        }
        if (body["messages"] is not JsonArray messages)
        {
            return Errors.Invalid("messages", ErrorMessages.FieldRequired("messages"), null, "missing");
        }
        if (catalog.Connections.Count == 0)
        {
            return Errors.Status(StatusCodes.Status503ServiceUnavailable, ErrorMessages.NoModelConnection);
        }
        var conversation = messages.OfType<JsonObject>()
            .Select(m => (Role: MessageTree.String(m["role"]) ?? "", Text: MessageTree.Text(m["content"])))
            .Where(m => m.Role is "user" or "assistant")
            .ToList();
        try
        {
            if (await menu.ChooseAsync(caller, model, cancellationToken) is not { } choice)
            {
                return Errors.NotFound(ErrorMessages.ModelNotFound);
            }
            return TypedResults.Json(await titles.AskAsync(choice.Connection, choice.UpstreamId, conversation, cancellationToken));
        }
        catch (Exception e) when (UpstreamFailure.Of(e) is { } failure)
        {
            return Errors.Status(failure.Status, failure.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Errors.Status(StatusCodes.Status504GatewayTimeout, ErrorMessages.TitleTaskTimedOut(ChatTitles.Timeout));
        }
    }
}
