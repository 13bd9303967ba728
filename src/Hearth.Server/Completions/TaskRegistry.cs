using System.Collections.Concurrent;

namespace Hearth.Server.Completions;

/// <summary>Generations running in the background in this process, so they can be listed and stopped.</summary>
internal sealed class TaskRegistry(IHostApplicationLifetime lifetime)
{
    private sealed record Entry(string UserId, string ChatId, CancellationTokenSource Stop);

    private readonly ConcurrentDictionary<string, Entry> _tasks = new();

    /// <summary>Starts <paramref name="work"/> detached from the request; it ends when done, stopped, or at shutdown.</summary>
    public string Start(string userId, string chatId, Func<CancellationToken, Task> work, ILogger logger)
    {
        var id = Guid.NewGuid().ToString();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        _tasks[id] = new Entry(userId, chatId, stop);
        _ = Task.Run(async () =>
        {
            try
            {
                await work(stop.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A temporary chat's id is the web client's socket: nothing of such a conversation goes into the logs.
                logger.LogError(e, "Background generation {TaskId} for chat {ChatId} failed", id,
                    CompletionRequest.IsTemporaryChatId(chatId) ? "(temporary)" : chatId);
            }
            finally
            {
                _tasks.TryRemove(id, out _);
                stop.Dispose();
            }
        });
        return id;
    }

    /// <returns>False when no such task of this user runs here.</returns>
    public bool Stop(string taskId, string userId, bool isAdmin)
    {
        if (!_tasks.TryGetValue(taskId, out var entry) || (entry.UserId != userId && !isAdmin))
        {
            return false;
        }
        entry.Stop.Cancel();
        return true;
    }

    public IReadOnlyList<string> OfChat(string chatId) => _tasks.Where(t => t.Value.ChatId == chatId).Select(t => t.Key).ToList();

    /// <summary>The tasks of a chat that <paramref name="userId"/> started: a temporary chat has no row to say whose it is.</summary>
    public IReadOnlyList<string> OfChat(string chatId, string userId) =>
        _tasks.Where(t => t.Value.ChatId == chatId && t.Value.UserId == userId).Select(t => t.Key).ToList();

    /// <summary>Every task running in this process (an admin's view).</summary>
    public IReadOnlyList<string> All() => _tasks.Keys.ToList();

    /// <summary>Stops every task of the chat; the caller has checked who may. Returns the ids stopped.</summary>
    public IReadOnlyList<string> StopChat(string chatId)
    {
        var stopped = _tasks.Where(t => t.Value.ChatId == chatId).ToList();
        foreach (var (_, entry) in stopped)
        {
            entry.Stop.Cancel();
        }
        return stopped.Select(t => t.Key).ToList();
    }
}
