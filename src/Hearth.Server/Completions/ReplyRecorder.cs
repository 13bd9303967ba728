using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Chats;
using Hearth.Server.Events;

namespace Hearth.Server.Completions;

/// <summary>
/// Saves an assistant reply into its chat through the message primitive while it streams: the message
/// first (parent, model, role, time), then its content at most every <see cref="CompletionOptions.SaveInterval"/>,
/// then <c>done</c> with usage, or <c>error</c>. Each save touches one message row, whatever the chat's length.
/// Saves run one after another behind the stream, never in its way: a chunk goes to the client at once even
/// while the database is busy (hundreds of replies saved at once queue on SQLite's one writer), and a content
/// save that finds another waiting leaves it to that one, which takes the newest content when it runs.
/// Each save takes one of the <paramref name="saveSlots"/> every recorder shares (see <see cref="ReplySaveSlots"/>): content
/// saves a progress slot, the others a milestone slot. When the reply finishes, a content save still waiting for its
/// slot is dropped (the last save carries all the content), so the stream's end waits for nothing but its own save.
/// Live updates go to <paramref name="audience"/>: the chat's owner, and the admin who asked when that is someone else.
/// Without <paramref name="store"/> (a temporary chat of the web client) nothing is saved: the reply only goes out as events.
/// </summary>
internal sealed class ReplyRecorder(ChatMessageStore messages, EventBus events, TimeProvider clock, TimeSpan interval,
    ReplySaveSlots saveSlots, IReadOnlyCollection<string> audience, string chatId, string messageId, ILogger logger, bool store = true)
{
    /// <summary>Live updates go out at most this often: a reader sees smooth progress, a fast stream is not slowed by them.</summary>
    private static readonly TimeSpan EventInterval = TimeSpan.FromMilliseconds(100);

    private readonly StringBuilder _content = new();
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;
    private DateTimeOffset _lastEvent = DateTimeOffset.MinValue;

    /// <summary>The saves so far, in order: each waits for the one before.</summary>
    private Task _writes = Task.CompletedTask;

    /// <summary>A content save is waiting its turn (guarded by <see cref="_content"/>).</summary>
    private bool _contentSaveWaiting;

    /// <summary>The message as the last progress save left it (null before one, and after any other save), so the next changes that.</summary>
    private StoredMessage? _progressSaved;

    /// <summary>
    /// Every this many progress saves bring the search text up to date too (about every 5 s at the default interval): the
    /// reply's last save always does, and a reply whose last save never comes (a crash) is found by what it had then.
    /// </summary>
    private const int IndexEvery = 10;

    private int _progressSaves;

    /// <summary>The tool calls so far and their results (guarded by <see cref="_content"/>; null before the first call).</summary>
    private JsonArray? _toolCalls;
    private JsonArray? _toolResults;

    /// <summary>Completed when the reply's last save is queued: content saves still waiting are superseded by it.</summary>
    private readonly TaskCompletionSource _finishing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Content
    {
        get
        {
            lock (_content)
            {
                return _content.ToString();
            }
        }
    }

    /// <summary>Queues the message's first save (the stream does not wait for it).</summary>
    public void Begin(string? parentId, string? model, CancellationToken cancellationToken) =>
        Then(() => StartAsync(parentId, model, cancellationToken));

    private Task StartAsync(string? parentId, string? model, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return messages.StartReplyAsync(chatId, messageId, parentId, existing =>
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
        }, cancellationToken);
    }

    /// <summary>
    /// Completes when every save queued so far has run (failed or not): for a writer beside the recorder, such as the
    /// artifact store listing a tool's file on the message, which must find the message written.
    /// </summary>
    public Task QueuedSavesAsync() =>
        _writes.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public Task AppendAsync(string delta, CancellationToken cancellationToken)
    {
        var queue = false;
        var now = clock.GetUtcNow();
        lock (_content)
        {
            _content.Append(delta);
            if (now - _lastSave >= interval && !_contentSaveWaiting)
            {
                _lastSave = now;
                _contentSaveWaiting = queue = true;
            }
        }
        // The text so far is copied into each update: not for an audience with no stream open anywhere (API clients).
        if (now - _lastEvent >= EventInterval && events.WantsProgress(audience))
        {
            _lastEvent = now;
            events.Publish(audience, chatId, messageId, "chat:completion", new JsonObject { ["content"] = Content, ["done"] = false }, progress: true);
        }
        if (queue)
        {
            Then(() =>
            {
                lock (_content)
                {
                    _contentSaveWaiting = false;
                }
                return SaveAsync(m => m["content"] = Content, cancellationToken, progress: true);
            }, progress: true);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A tool call began (<paramref name="calls"/> has one more than <paramref name="results"/>) or ended: readers see the
    /// steps at once, in an event with the calls and results so far, and a reload finds them saved on the message, while
    /// the answer's text is still to come.
    /// </summary>
    public void ToolStep(JsonArray calls, JsonArray results, CancellationToken cancellationToken)
    {
        lock (_content)
        {
            _toolCalls = (JsonArray)calls.DeepClone();
            _toolResults = (JsonArray)results.DeepClone();
        }
        _lastEvent = clock.GetUtcNow();
        events.Publish(audience, chatId, messageId, "chat:completion", WithSteps(new JsonObject { ["content"] = Content, ["done"] = false }));
        Then(() => SaveAsync(m => WithSteps(m), cancellationToken, progress: true), progress: true);
    }

    /// <summary><paramref name="target"/> with the tool calls and results so far, when there are any.</summary>
    private JsonObject WithSteps(JsonObject target)
    {
        lock (_content)
        {
            if (_toolCalls is { Count: > 0 })
            {
                target["tool_calls"] = _toolCalls.DeepClone();
                target["tool_results"] = _toolResults?.DeepClone() ?? new JsonArray();
            }
        }
        return target;
    }

    /// <summary>The reply ended (or was stopped): its whole text, its tool steps, and its usage when the model gave one.</summary>
    public async Task FinishAsync(JsonNode? usage, CancellationToken cancellationToken)
    {
        _finishing.TrySetResult();
        await Then(() => SaveAsync(m =>
        {
            WithSteps(m);
            m["content"] = Content;
            m["done"] = true;
            if (usage is not null)
            {
                m["usage"] = usage.DeepClone();
            }
        }, cancellationToken));
        // With the steps, for a temporary chat's reader: nothing is stored they could read them from.
        events.Publish(audience, chatId, messageId, "chat:completion", WithSteps(new JsonObject { ["content"] = Content, ["done"] = true }));
    }

    public async Task FailAsync(string detail, CancellationToken cancellationToken)
    {
        _finishing.TrySetResult();
        await Then(() => SaveAsync(m =>
        {
            WithSteps(m);
            m["content"] = Content;
            m["error"] = new JsonObject { ["content"] = detail };
            m["done"] = true;
        }, cancellationToken));
        events.Publish(audience, chatId, messageId, "chat:message:error", new JsonObject { ["error"] = new JsonObject { ["content"] = detail } });
    }

    /// <summary>
    /// Runs <paramref name="save"/> after every save queued before it; the returned task is that save. A
    /// <paramref name="progress"/> save is skipped when the reply finishes before it gets its slot.
    /// </summary>
    private Task Then(Func<Task> save, bool progress = false)
    {
        if (!store)
        {
            return Task.CompletedTask;
        }
        var before = _writes;
        return _writes = AfterAsync(before, save, progress);
    }

    private async Task AfterAsync(Task before, Func<Task> save, bool progress)
    {
        // Off the caller's path at once: Microsoft.Data.Sqlite's async calls run synchronously, so without this a
        // reply's first save (queued before its stream starts) would run on the request before the first byte goes out.
        await Task.Yield();
        try
        {
            await before;
        }
        catch (Exception e)
        {
            // Reported here, once; the saves after it still run (the final one carries the whole reply).
            logger.LogWarning(e, "Saving part of reply {MessageId} into chat {ChatId} failed", messageId, chatId);
        }
        var slots = progress ? saveSlots.Progress : saveSlots.Milestones;
        var slot = slots.WaitAsync();
        if (progress && await Task.WhenAny(slot, _finishing.Task) != slot)
        {
            // Superseded: the slot, when it comes, goes straight back.
            _ = slot.ContinueWith(_ => slots.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        await slot;
        try
        {
            await save();
        }
        finally
        {
            slots.Release();
        }
    }

    /// <param name="progress">
    /// The content so far: the chat row is left alone (its time and current message were set by the first save and are
    /// set again by the last), and so is the message's search text (<see cref="ChatMessageStore.SaveProgressAsync"/>):
    /// a progress save writes the message's JSON only.
    /// </param>
    private async Task SaveAsync(Action<JsonObject> change, CancellationToken cancellationToken, bool progress = false)
    {
        JsonObject Changed(JsonObject? existing)
        {
            var message = existing ?? new JsonObject { ["id"] = messageId, ["role"] = "assistant" };
            change(message);
            return message;
        }
        // Saves run one at a time (each waits for the one before), so the last one's message is this one's to change.
        if (progress)
        {
            _progressSaved = await messages.SaveProgressAsync(chatId, messageId, Changed, _progressSaved, cancellationToken,
                indexText: ++_progressSaves % IndexEvery == 0);
            return;
        }
        _progressSaved = null;
        await messages.ChangeAsync(chatId, messageId, Changed, moveCurrent: true, cancellationToken);
    }
}
