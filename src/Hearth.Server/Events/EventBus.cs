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
    public void Publish(IEnumerable<string> userIds, string chatId, string messageId, string type, JsonNode data)
    {
        foreach (var userId in userIds.Distinct())
        {
            // Without a relay (SQLite: one process) an event nobody here listens for goes nowhere: it is not even written.
            if (Relay is null && !Listens(userId))
            {
                continue;
            }
            var item = ChatEvent.Create(userId, chatId, messageId, type, data);
            Deliver(item);
            Relay?.Forward(item);
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
    void Forward(ChatEvent item);
}
