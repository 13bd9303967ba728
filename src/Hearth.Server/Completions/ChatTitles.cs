using System.Text.Json.Nodes;
using Hearth.Server.Chats;
using Hearth.Server.Events;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions;

/// <summary>
/// Gives a chat a title made by its model once the first reply is in: Open WebUI's title task, which its web client
/// asks for with <c>background_tasks.title_generation</c>. The model is asked once, without streaming; a title it
/// answers is written unless the chat was renamed meanwhile, and its viewers get a <c>chat:title</c> event. A failure
/// costs the chat only the title: it keeps the one it had.
/// </summary>
internal sealed class ChatTitles(ModelClient client, ModelCatalog catalog, ChatStore chats, EventBus events, IOptions<ChatTitleOptions> options,
    ILogger<ChatTitles> logger)
{
    /// <summary>
    /// How long the model may take over a title: the task holds the chat's generation slot (it is listed as running)
    /// until the title is in, and a title is not worth a hung request.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public bool Enabled => options.Value.Enabled;

    /// <summary>Whether <paramref name="context"/> (what the model was asked) is a chat's first question, the one a title is made from.</summary>
    public static bool IsFirstExchange(JsonArray? context) =>
        context is not null
        && context.Count(m => MessageTree.String(m?["role"]) == "user") == 1
        && !context.Any(m => MessageTree.String(m?["role"]) == "assistant");

    /// <param name="connection">The chat's model's connection, and <paramref name="model"/> that model as its server names it: the task model unless one is set.</param>
    /// <param name="expected">The chat's title when the reply was asked for: a title is written only over it.</param>
    /// <param name="conversation">The messages the title is made from, oldest first, the reply last.</param>
    public async Task GiveAsync(ModelConnection connection, string model, IReadOnlyList<string> audience, string chatId, string messageId,
        string expected, IReadOnlyList<(string Role, string Text)> conversation, CancellationToken cancellationToken)
    {
        string? title;
        try
        {
            var completion = await AskAsync(connection, model, conversation, cancellationToken);
            var choice = (completion["choices"] as JsonArray)?.FirstOrDefault() as JsonObject;
            title = TitlePrompt.Read(MessageTree.String((choice?["message"] as JsonObject)?["content"]));
        }
        catch (Exception e) when (UpstreamFailure.Of(e) is not null || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogInformation("Chat {ChatId} keeps its title: the title task failed ({Problem})", chatId, e.Message);
            return;
        }
        if (title is not null && title != expected && await chats.RetitleAsync(chatId, title, expected, cancellationToken))
        {
            events.Publish(audience, chatId, messageId, "chat:title", JsonValue.Create(title));
        }
    }

    /// <summary>
    /// Asks the task model (<see cref="TaskModelAsync"/>) for a title of <paramref name="conversation"/> with the title
    /// prompt, without streaming, and gives the model server's completion as it came (the title is in its reply's text).
    /// </summary>
    /// <param name="connection">The connection of <paramref name="model"/>, the conversation's model as its server names it.</param>
    /// <exception cref="OperationCanceledException">After <see cref="Timeout"/> too, while <paramref name="cancellationToken"/> is not cancelled.</exception>
    public async Task<JsonObject> AskAsync(ModelConnection connection, string model, IReadOnlyList<(string Role, string Text)> conversation,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        cancellationToken = limit.Token;
        (connection, model) = await TaskModelAsync(connection, model, cancellationToken);
        var body = new JsonObject
        {
            ["model"] = model,
            ["stream"] = false,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = TitlePrompt.Fill(options.Value.Template, conversation) }),
        };
        using var response = await client.SendAsync(connection, body, stream: false, cancellationToken);
        return await client.CompletionAsync(connection, response, cancellationToken);
    }

    /// <summary>
    /// Open WebUI's choice of a task model (<c>get_task_model_id</c>): <c>TASK_MODEL</c> for a chat on an Ollama model,
    /// <c>TASK_MODEL_EXTERNAL</c> for the others, when a connection serves it; the chat's own model otherwise. The task
    /// model is the server's choice, so whether the user may pick it in the model menu does not matter, as upstream.
    /// </summary>
    private async Task<(ModelConnection Connection, string Model)> TaskModelAsync(ModelConnection chatConnection, string chatModel,
        CancellationToken cancellationToken)
    {
        var configured = chatConnection.Kind == ConnectionKind.Ollama ? options.Value.TaskModel : options.Value.TaskModelExternal;
        if (configured is null)
        {
            return (chatConnection, chatModel);
        }
        try
        {
            if (await catalog.ResolveAsync(configured, cancellationToken) is { } connection)
            {
                return (connection, configured);
            }
            logger.LogWarning("The task model {Model} is served by no model connection: titles are made by the chat's own model", configured);
        }
        catch (UpstreamFailure failure)
        {
            logger.LogWarning("The task model {Model} could not be found ({Problem}): titles are made by the chat's own model", configured, failure.Message);
        }
        return (chatConnection, chatModel);
    }
}
