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
    ILogger<ReplyRecorder> logger) : IDisposable
{
    private readonly SemaphoreSlim _saveSlots = new(options.Value.ConcurrentReplySaves);

    /// <param name="audience">Who gets the live updates: the chat's owner, and the admin who asked when that is someone else.</param>
    /// <param name="store">False for a temporary chat: the reply goes out as events only.</param>
    public ReplyRecorder Create(IReadOnlyCollection<string> audience, string chatId, string messageId, bool store = true) =>
        new(messages, events, clock, options.Value.SaveInterval, _saveSlots, audience, chatId, messageId, logger, store);

    public void Dispose() => _saveSlots.Dispose();
}
