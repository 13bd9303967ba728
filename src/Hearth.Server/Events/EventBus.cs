using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Hearth.Server.Events;

/// <summary>
/// One event for a user, already written in Open WebUI's envelope
/// (<c>{"chat_id","message_id","data":{"type","data"}}</c>): serialised once when published, so every stream
/// and the relay share a string instead of reading one JSON tree from many threads, and a publisher that goes
/// on changing its data object cannot change an event already sent.
/// </summary>
internal sealed record ChatEvent(string UserId, string Envelope)
{
    public static ChatEvent Create(string userId, string chatId, string messageId, string type, JsonNode data) =>
        new(userId, new JsonObject
        {
            ["chat_id"] = chatId,
            ["message_id"] = messageId,
            ["data"] = new JsonObject { ["type"] = type, ["data"] = data.DeepClone() },
        }.ToJsonString());
}

/// <summary>
/// Delivers each user's events to that user's open streams. Events published here go to this process's
/// subscribers and, through <see cref="IEventRelay"/>, to the other Hearth processes on the same database.
/// </summary>
internal sealed class EventBus
{
    private readonly ConcurrentDictionary<Guid, (string UserId, Channel<ChatEvent> Channel)> _subscribers = new();

    public IEventRelay? Relay { get; set; }

    public void Publish(string userId, string chatId, string messageId, string type, JsonNode data) =>
        Publish([userId], chatId, messageId, type, data);

    /// <summary>The same event to several users (a chat's owner and an admin working in it), each once.</summary>
    /// <param name="progress">
    /// A streaming reply's text so far, which the next such event supersedes: it goes to another process only when that
    /// process has announced a stream of the user (<see cref="IEventRelay.Forward"/>). Every other event goes to every
    /// process, so one that happens once (a reply's end, an error, a title) cannot be lost while a stream's announcement
    /// is on its way.
    /// </param>
    public void Publish(IEnumerable<string> userIds, string chatId, string messageId, string type, JsonNode data, bool progress = false)
    {
        foreach (var userId in userIds.Distinct())
        {
            // An event nobody listens for, here or (through the relay) in another process, goes nowhere: it is not even written.
            if (!Wanted(userId, progress))
            {
                continue;
            }
            var item = ChatEvent.Create(userId, chatId, messageId, type, data);
            Deliver(item);
            Relay?.Forward(item, progress);
        }
    }

    /// <summary>Hands an event to this process's subscribers only (the relay calls this for events from elsewhere).</summary>
    public void Deliver(ChatEvent item)
    {
        foreach (var (_, (userId, channel)) in _subscribers)
        {
            if (userId == item.UserId)
            {
                channel.Writer.TryWrite(item);
            }
        }
    }

    /// <summary>
    /// Whether any of <paramref name="userIds"/> has a stream open, in this process or another, for a progress event
    /// (see <see cref="Publish(IEnumerable{string}, string, string, string, JsonNode, bool)"/>): a publisher whose event
    /// costs work to build (a streaming reply's text so far) asks first.
    /// </summary>
    public bool WantsProgress(IEnumerable<string> userIds) => userIds.Any(u => Wanted(u, progress: true));

    private bool Wanted(string userId, bool progress) =>
        Listens(userId) || (Relay is { } relay && (!progress || relay.ListenedForElsewhere(userId)));

    private bool Listens(string userId)
    {
        foreach (var (_, (listener, _)) in _subscribers)
        {
            if (listener == userId)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Every user with an open stream in this process (each once).</summary>
    public IReadOnlyCollection<string> ListeningUsers() => _subscribers.Values.Select(s => s.UserId).ToHashSet();

    /// <summary>
    /// Completes once the other processes have been told that <paramref name="userId"/> listens here (at once without a
    /// relay), so they start sending that user's events: see <see cref="IEventRelay.AnnounceAsync"/>.
    /// </summary>
    public Task AnnounceAsync(string userId) => Relay?.AnnounceAsync(userId) ?? Task.CompletedTask;

    /// <summary>The user's events from now on, until the subscription is disposed.</summary>
    public EventSubscription Subscribe(string userId)
    {
        var channel = Channel.CreateBounded<ChatEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _subscribers[id] = (userId, channel);
        return new EventSubscription(channel.Reader, () => _subscribers.TryRemove(id, out _));
    }

    /// <summary>Ends every open stream of this process, because events may have been missed: clients reconnect.</summary>
    public void EndStreams()
    {
        foreach (var (_, (_, channel)) in _subscribers)
        {
            channel.Writer.TryComplete();
        }
    }
}

/// <summary>One open stream's events; disposing it stops their delivery.</summary>
internal sealed class EventSubscription(ChannelReader<ChatEvent> events, Action end) : IDisposable
{
    public ChannelReader<ChatEvent> Events { get; } = events;

    public void Dispose() => end();
}

/// <summary>Carries events between Hearth processes (PostgreSQL NOTIFY); absent on SQLite, where one process runs.</summary>
internal interface IEventRelay
{
    /// <summary>Sends the event to the other processes (a <paramref name="progress"/> event only when <see cref="ListenedForElsewhere"/> its user).</summary>
    void Forward(ChatEvent item, bool progress);

    /// <summary>Whether another process may have a stream of the user open (or this one cannot tell yet).</summary>
    bool ListenedForElsewhere(string userId);

    /// <summary>Tells the other processes that the user has a stream open here; completes once that has been sent.</summary>
    Task AnnounceAsync(string userId);
}
