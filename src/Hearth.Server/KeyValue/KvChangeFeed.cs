using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Hearth.Server.Storage;

namespace Hearth.Server.KeyValue;

/// <summary>
/// Fans committed artifact changes out to the watch streams of this process. On SQLite the store publishes
/// here after each commit; on PostgreSQL every process's writes arrive as notifications
/// (<see cref="PostgresNotifications"/>), so one process also sees what another wrote. A change reaches only the streams of its
/// namespace: a personal change only its owner's.
/// </summary>
internal sealed class KvChangeFeed : INotificationChannel
{
    public const string Channel = "hearth_artifacts";
    private static readonly JsonSerializerOptions Payload = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<KvSubscription, byte>> _byOwner = new();
    public KvSubscription Subscribe(string owner, string? key, string? prefix)
    {
        var subscription = new KvSubscription(this, owner, key, prefix);
        _byOwner.GetOrAdd(owner, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    internal void Remove(KvSubscription subscription)
    {
        if (_byOwner.TryGetValue(subscription.Owner, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
        }
    }

    public void Publish(KvChange change)
    {
        if (!_byOwner.TryGetValue(change.Owner, out var subscriptions))
        {
            return;
        }
        foreach (var subscription in subscriptions.Keys)
        {
            subscription.Offer(change);
        }
    }

    public string Name => Channel;

    public void Received(string payload)
    {
        if (Decode(payload) is { } change)
        {
            Publish(change);
        }
    }

    /// <summary>Changes may have been missed: every stream ends, so its client reconnects and reads afresh.</summary>
    public void Lost()
    {
        foreach (var subscription in _byOwner.Values.SelectMany(s => s.Keys))
        {
            subscription.End();
        }
    }

    public static string Encode(KvChange change) => JsonSerializer.Serialize(change, Payload);

    /// <returns>Null for a payload that is not a change (anyone may NOTIFY on the channel).</returns>
    public static KvChange? Decode(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<KvChange>(payload, Payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One watch stream's filter and queue. A reader that falls too far behind is ended rather than skipped.</summary>
internal sealed class KvSubscription(KvChangeFeed feed, string owner, string? key, string? prefix) : IDisposable
{
    private const int Capacity = 1024;
    private readonly Channel<KvChange> _changes =
        System.Threading.Channels.Channel.CreateBounded<KvChange>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    public string Owner { get; } = owner;
    public ChannelReader<KvChange> Changes => _changes.Reader;

    internal void Offer(KvChange change)
    {
        var wanted = (key is null || change.Key == key) && (prefix is null || change.Key.StartsWith(prefix, StringComparison.Ordinal));
        if (wanted && !_changes.Writer.TryWrite(change))
        {
            End();
        }
    }

    internal void End() => _changes.Writer.TryComplete();

    public void Dispose()
    {
        End();
        feed.Remove(this);
    }
}
