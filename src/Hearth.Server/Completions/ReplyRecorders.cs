using Hearth.Server.Chats;
using Hearth.Server.Events;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions;

/// <summary>
/// Makes the <see cref="ReplyRecorder"/> of each saved reply, and bounds how many of their saves use the
/// database at once. Without the bound, a few hundred replies streaming together each hold a pooled
/// connection for their save; the requests that start the next streams (and every other route) then wait
/// for a connection, and the first byte of a new reply comes seconds late. Saves are background work that a
/// recorder already coalesces (a waiting content save takes the newest content), so queueing them costs a
/// reader a little freshness and nothing else.
/// </summary>
internal sealed class ReplyRecorders(ChatMessageStore messages, EventBus events, TimeProvider clock, IOptions<CompletionOptions> options,
    ILogger<ReplyRecorder> logger)
{
    private readonly ReplySaveSlots _saveSlots = new(options.Value.ConcurrentReplySaves);

    /// <param name="audience">Who gets the live updates: the chat's owner, and the admin who asked when that is someone else.</param>
    /// <param name="store">False for a temporary chat: the reply goes out as events only.</param>
    public ReplyRecorder Create(IReadOnlyCollection<string> audience, string chatId, string messageId, bool store = true) =>
        new(messages, events, clock, options.Value.SaveInterval, _saveSlots, audience, chatId, messageId, logger, store);
}

/// <summary>
/// The database slots reply saves share, in two kinds that queue apart: progress (the content so far, which any later
/// save supersedes) and milestones (a reply's first save, its files, its last), so that a reply's last save, which
/// ends its stream, never waits behind other replies' progress. Milestones have <c>slots</c>; progress a quarter of
/// them (at least one): progress is a convenience (a crash keeps more of a reply), and while many replies stream,
/// fewer progress slots mean each reply saves its progress less often (a waiting save takes the newest content)
/// instead of the saves taking the database's time from the requests that start new streams.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphores are never disposed: replies generating in the background may still release their slot " +
                    "after the container is disposed at shutdown (Release on a disposed semaphore throws), and a SemaphoreSlim " +
                    "whose AvailableWaitHandle is never asked for holds no handle, only managed memory the collector takes.")]
internal sealed class ReplySaveSlots(int slots)
{
    public SemaphoreSlim Progress { get; } = new(Math.Max(1, slots / 4));

    public SemaphoreSlim Milestones { get; } = new(slots);
}
