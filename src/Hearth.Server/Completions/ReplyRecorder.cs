using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Chats;
using Hearth.Server.Events;

namespace Hearth.Server.Completions;

/// <summary>
/// Saves an assistant reply into its chat through the message primitive while it streams: the message
/// first (parent, model, role, time), then its content at most every <see cref="CompletionOptions.SaveInterval"/>,
/// then <c>done</c> with usage, or <c>error</c>. Each save touches one message row, whatever the chat's length.
/// Live updates go to <paramref name="audience"/>: the chat's owner, and the admin who asked when that is someone else.
/// </summary>
internal sealed class ReplyRecorder(ChatMessageStore messages, EventBus events, TimeProvider clock, TimeSpan interval,
    IReadOnlyCollection<string> audience, string chatId, string messageId)
{
    /// <summary>Live updates go out at most this often: a reader sees smooth progress, a fast stream is not slowed by them.</summary>
    private static readonly TimeSpan EventInterval = TimeSpan.FromMilliseconds(100);

    private readonly StringBuilder _content = new();
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;
    private DateTimeOffset _lastEvent = DateTimeOffset.MinValue;

    public string Content => _content.ToString();

    public async Task StartAsync(string? parentId, string? model, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await messages.ChangeAsync(chatId, messageId, existing =>
        {
            var message = existing ?? new JsonObject { ["id"] = messageId, ["childrenIds"] = new JsonArray() };
            message["parentId"] = parentId;
            message["role"] = "assistant";
            message["model"] = model;
            message["modelName"] = model;
            message["timestamp"] = now;
            message["content"] = "";
            message["done"] = false;
            return message;
        }, moveCurrent: true, cancellationToken);
        if (parentId is not null)
        {
            await messages.AddChildAsync(chatId, parentId, messageId, cancellationToken);
        }
    }

    public async Task AppendAsync(string delta, CancellationToken cancellationToken)
    {
        _content.Append(delta);
        var now = clock.GetUtcNow();
        if (now - _lastEvent >= EventInterval)
        {
            _lastEvent = now;
            events.Publish(audience, chatId, messageId, "chat:completion", new JsonObject { ["content"] = Content, ["done"] = false });
        }
        if (now - _lastSave >= interval)
        {
            await SaveAsync(m => m["content"] = Content, cancellationToken);
        }
    }

    public async Task FinishAsync(JsonNode? usage, JsonArray? toolCalls, JsonArray? toolResults, CancellationToken cancellationToken)
    {
        await SaveAsync(m =>
        {
            m["content"] = Content;
            m["done"] = true;
            if (usage is not null)
            {
                m["usage"] = usage.DeepClone();
            }
            if (toolCalls is { Count: > 0 })
            {
                m["tool_calls"] = toolCalls.DeepClone();
                m["tool_results"] = toolResults?.DeepClone();
            }
        }, cancellationToken);
        events.Publish(audience, chatId, messageId, "chat:completion", new JsonObject { ["content"] = Content, ["done"] = true });
    }

    public async Task FailAsync(string detail, CancellationToken cancellationToken)
    {
        await SaveAsync(m =>
        {
            m["content"] = Content;
            m["error"] = new JsonObject { ["content"] = detail };
            m["done"] = true;
        }, cancellationToken);
        events.Publish(audience, chatId, messageId, "chat:message:error", new JsonObject { ["error"] = new JsonObject { ["content"] = detail } });
    }

    /// <summary>Adds a file (an artifact a tool made) to the message's <c>files</c>.</summary>
    public Task AddFileAsync(JsonObject file, CancellationToken cancellationToken) =>
        SaveAsync(m =>
        {
            if (m["files"] is not JsonArray files)
            {
                files = new JsonArray();
                m["files"] = files;
            }
            files.Add(file.DeepClone());
        }, cancellationToken);

    private async Task SaveAsync(Action<JsonObject> change, CancellationToken cancellationToken)
    {
        _lastSave = clock.GetUtcNow();
        await messages.ChangeAsync(chatId, messageId, existing =>
        {
            var message = existing ?? new JsonObject { ["id"] = messageId, ["role"] = "assistant" };
            change(message);
            return message;
        }, moveCurrent: true, cancellationToken);
    }
}
