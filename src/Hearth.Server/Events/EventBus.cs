using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Hearth.Server.Events;

/// <summary>One event in Open WebUI's envelope: <c>{"chat_id","message_id","data":{"type","data"}}</c>.</summary>
internal sealed record ChatEvent(string UserId, string ChatId, string MessageId, string Type, JsonObject Data)
{
    public JsonObject Envelope() => new()
    {
        ["chat_id"] = ChatId,
        ["message_id"] = MessageId,
        ["data"] = new JsonObject { ["type"] = Type, ["data"] = Data.DeepClone() },
    };
}

/// <summary>
/// Delivers each user's events to that user's open streams. Events published here go to this process's
/// subscribers and, through <see cref="IEventRelay"/>, to the other Hearth processes on the same database.
/// </summary>
internal sealed class EventBus
{
    private readonly ConcurrentDictionary<Guid, (string UserId, Channel<ChatEvent> Channel)> _subscribers = new();

    public IEventRelay? Relay { get; set; }

    public void Publish(string userId, string chatId, string messageId, string type, JsonObject data)
    {
        var item = new ChatEvent(userId, chatId, messageId, type, data);
        Deliver(item);
        Relay?.Forward(item);
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

    public (Guid Id, ChannelReader<ChatEvent> Reader) Subscribe(string userId)
    {
        var channel = Channel.CreateBounded<ChatEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _subscribers[id] = (userId, channel);
        return (id, channel.Reader);
    }

    public void Unsubscribe(Guid id) => _subscribers.TryRemove(id, out _);
}

/// <summary>Carries events between Hearth processes (PostgreSQL NOTIFY); absent on SQLite, where one process runs.</summary>
internal interface IEventRelay
{
    void Forward(ChatEvent item);
}
