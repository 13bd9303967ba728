using System.Text.Json.Nodes;

namespace Hearth.Server.Completions;

/// <summary>The chat a run's files belong to, and the message they are listed on (none when a direct tool run names none).</summary>
internal sealed record ReplyTarget(string ChatId, string? MessageId);

/// <summary>
/// One completion run and what it owns besides the request: whose it is, the chat message its reply and files go
/// into (none for a pure proxy or a temporary chat), the recorder that saves the reply as it grows (when it is
/// saved), and the client's stream (when the client streams). The runner and the tools tell it what happened;
/// it alone knows which of those there are.
/// </summary>
internal sealed class CompletionRun
{
    private static readonly ReadOnlyMemory<byte> Done = "[DONE]"u8.ToArray();
    private readonly ReplyRecorder? _recorder;
    private readonly Func<ReadOnlyMemory<byte>, Task>? _client;

    /// <param name="ownerId">Whose the chat is: its files are theirs.</param>
    /// <param name="target">Where files go; null for a pure proxy or a temporary chat, which keep nothing.</param>
    /// <param name="recorder">Saves the reply; null when it is not saved.</param>
    /// <param name="client">Takes each chunk as the model server sent it; null when the client waits for the whole answer.</param>
    public CompletionRun(string ownerId, ReplyTarget? target, ReplyRecorder? recorder = null, Func<ReadOnlyMemory<byte>, Task>? client = null)
    {
        OwnerId = ownerId;
        Target = target;
        _recorder = recorder;
        _client = client;
    }

    public string OwnerId { get; }
    public ReplyTarget? Target { get; }

    /// <summary>Whether the reply is saved (so the run goes on when its client leaves).</summary>
    public bool IsSaved => _recorder is not null;

    /// <summary>A streamed chunk: its text grows the saved reply, its bytes go to the client unchanged.</summary>
    public async Task ChunkAsync(ReadOnlyMemory<byte> payload, string? text, CancellationToken cancellationToken)
    {
        if (text is { Length: > 0 } && _recorder is not null)
        {
            await _recorder.AppendAsync(text, cancellationToken);
        }
        if (_client is not null)
        {
            await _client(payload);
        }
    }

    /// <summary>The whole text of a reply that was not streamed.</summary>
    public Task AnsweredAsync(string text, CancellationToken cancellationToken) =>
        _recorder?.AppendAsync(text, cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// A tool call began (<paramref name="calls"/> has one more than <paramref name="results"/>) or ended: the saved reply
    /// shows its steps so far at once (<see cref="ReplyRecorder.ToolStep"/>).
    /// </summary>
    public void ToolStep(JsonArray calls, JsonArray results, CancellationToken cancellationToken) =>
        _recorder?.ToolStep(calls, results, cancellationToken);

    /// <summary>The run ended: the client's stream gets <c>[DONE]</c> and the saved reply its usage (its tool steps it has).</summary>
    public async Task EndAsync(JsonNode? usage)
    {
        if (_client is not null)
        {
            await _client(Done);
        }
        if (_recorder is not null)
        {
            await _recorder.FinishAsync(usage, CancellationToken.None);
        }
    }

    /// <summary>The run failed: the saved reply keeps what came and says why.</summary>
    public Task FailedAsync(string detail) => _recorder?.FailAsync(detail, CancellationToken.None) ?? Task.CompletedTask;

    /// <summary>The run was stopped: the saved reply keeps what came and is marked done.</summary>
    public Task StoppedAsync() => _recorder?.FinishAsync(null, CancellationToken.None) ?? Task.CompletedTask;

    /// <summary>
    /// Before a tool's file is listed on the reply's message: the reply's first save runs in the background, and the
    /// message must be there.
    /// </summary>
    public Task MessageSavedAsync() => _recorder?.QueuedSavesAsync() ?? Task.CompletedTask;
}
