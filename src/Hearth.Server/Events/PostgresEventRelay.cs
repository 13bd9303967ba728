using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Hearth.Server.Chats;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Events;

/// <summary>
/// Carries events between Hearth processes sharing one PostgreSQL database: events are sent with NOTIFY
/// (their payload, or for a large one the id of a row holding it) and every process LISTENs and
/// delivers what other processes sent to its own subscribers. Events leave through one queue and one
/// session, and arrive through another queue, so others see them in the order they were published
/// (PostgreSQL keeps the order of one session's notifications): streamed reply deltas depend on it.
/// </summary>
/// <remarks>
/// <para>
/// A streaming reply's progress events (its text so far, each superseded by the next) are sent only for users who
/// have a stream open in another process, as on SQLite an event nobody listens for is not even written: each process
/// announces the users it has streams for when a stream opens and every <see cref="AnnounceInterval"/> after, and an
/// announcement not renewed within <see cref="ListenerExpiry"/> lapses. Two hundred replies streaming to API clients
/// (which read the completion, not the event stream) used to send thousands of such events a second, each with the
/// reply so far, that every process read back and dropped: a third of the database's work. A process that has just
/// started, or lost its connection, has heard nobody's announcements yet and sends them all for <see cref="WarmUp"/>.
/// A stream says it is live once its announcement has gone out (<see cref="AnnounceAsync"/>); another process acts
/// on it as its notification arrives, so a progress event published in between may miss the stream, and the next
/// one makes up for it. Every other event (a reply's end, an error, a title, a posted event) goes to every process.
/// </para>
/// <para>
/// Events waiting together go out together, as many as fit one NOTIFY: two hundred replies streaming at once
/// publish thousands of small events a second, which would otherwise cost a round trip and a notification each.
/// </para>
/// </remarks>
internal sealed class PostgresEventRelay(Database database, EventBus bus, TimeProvider clock, ILogger<PostgresEventRelay> logger)
    : BackgroundService, IEventRelay, INotificationChannel
{
    /// <summary>How often a process tells the others again whom it has streams open for.</summary>
    public static readonly TimeSpan AnnounceInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long an announcement holds without being renewed: three chances to hear it again.</summary>
    public static readonly TimeSpan ListenerExpiry = 3 * AnnounceInterval;

    /// <summary>Long enough to hear every other process's next announcements.</summary>
    public static readonly TimeSpan WarmUp = AnnounceInterval * 1.5;

    public const string Channel = "hearth_events";
    private const int InlineLimit = 7000;

    /// <summary>
    /// Rows of large events are read by the other processes as the NOTIFY arrives; after a few minutes nobody needs
    /// them. Removed before each large event and every <see cref="SweepInterval"/> besides, so no event (a temporary
    /// chat's reply among them) stays in the database for long after a quiet spell.
    /// </summary>
    private const string ForgetOldRows = "DELETE FROM relayed_events WHERE created_at < now() - interval '5 minutes'";
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly string _origin = Guid.NewGuid().ToString("N");

    /// <summary>How this process's own payloads begin (<see cref="SendAsync"/> writes the origin first): they come back to its LISTEN and are dropped unread.</summary>
    private string OwnPrefix => _ownPrefix ??= $"{{\"origin\":\"{_origin}\"";

    private string? _ownPrefix;
    /// <summary>Users with a stream open in another process, and when that was last announced (this process's clock).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _listenersElsewhere = new();

    /// <summary>Until when (ticks of this process's clock) every event is sent, whoever listens.</summary>
    private long _sendAllUntil = (clock.GetUtcNow() + WarmUp).UtcTicks;

    /// <summary>An entry of a notification's <c>events</c> list (an event, or an announcement), and who waits for it to be sent.</summary>
    private sealed record Outgoing(string Entry, TaskCompletionSource? Sent = null);

    private readonly Channel<Outgoing> _outgoing = System.Threading.Channels.Channel.CreateBounded<Outgoing>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        // A stream waiting for its announcement to go out is not kept waiting for one that never will: the renewal repeats it.
        dropped => dropped.Sent?.TrySetResult());
    private readonly Channel<string> _incoming = System.Threading.Channels.Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The entries being sent: taken off the queue first, so a batch that fails to go out is retried, not lost.</summary>
    private readonly List<Outgoing> _batch = [];
    private int _batchBytes;

    /// <summary>What a batch's payload holds besides its entries (<c>{"origin":"…","events":[]}</c>).</summary>
    private int WrapperBytes => _wrapperBytes ??= Payload([]).Length;

    private int? _wrapperBytes;

    public void Forward(ChatEvent item, bool progress)
    {
        if (!progress || ListenedForElsewhere(item.UserId))
        {
            _outgoing.Writer.TryWrite(new Outgoing(new JsonObject { ["user_id"] = item.UserId, ["envelope"] = item.Envelope }.ToJsonString()));
        }
    }

    public Task AnnounceAsync(string userId)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _outgoing.Writer.TryWrite(new Outgoing(Announcement(userId), sent));
        return sent.Task;
    }

    private static string Announcement(string userId) => new JsonObject { ["listening"] = userId }.ToJsonString();

    public bool ListenedForElsewhere(string userId)
    {
        var now = clock.GetUtcNow();
        return now.UtcTicks < Interlocked.Read(ref _sendAllUntil)
               || (_listenersElsewhere.TryGetValue(userId, out var heard) && now - heard <= ListenerExpiry);
    }

    public string Name => Channel;

    /// <summary>What <see cref="PostgresNotifications"/> hears: delivered in order by <see cref="DeliverLoopAsync"/>.</summary>
    public void Received(string payload)
    {
        if (bus.Relay is not null)
        {
            _incoming.Writer.TryWrite(payload);
        }
    }

    /// <summary>
    /// Events sent while nobody listened are gone: the open streams end, and their clients reconnect. Announcements
    /// were missed too, so until they are heard again every event goes out.
    /// </summary>
    public void Lost()
    {
        Interlocked.Exchange(ref _sendAllUntil, (clock.GetUtcNow() + WarmUp).UtcTicks);
        bus.EndStreams();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendLoopAsync(stoppingToken), DeliverLoopAsync(stoppingToken), SweepLoopAsync(stoppingToken), AnnounceLoopAsync(stoppingToken));

    /// <summary>Renews this process's announcements, and forgets the others' that lapsed.</summary>
    private async Task AnnounceLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AnnounceInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var userId in bus.ListeningUsers())
                {
                    _outgoing.Writer.TryWrite(new Outgoing(Announcement(userId)));
                }
                var now = clock.GetUtcNow();
                foreach (var (userId, heard) in _listenersElsewhere)
                {
                    if (now - heard > ListenerExpiry)
                    {
                        _listenersElsewhere.TryRemove(new KeyValuePair<string, DateTimeOffset>(userId, heard));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var connection = (NpgsqlConnection)await database.OpenAsync(stoppingToken);
                    await using var sweep = new NpgsqlCommand(ForgetOldRows, connection);
                    await sweep.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or IOException)
                {
                    logger.LogDebug(e, "Could not remove old relayed events; the next sweep tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (_batch.Count > 0 || await _outgoing.Reader.WaitToReadAsync(stoppingToken))
            {
                try
                {
                    await using var connection = (NpgsqlConnection)await database.OpenAsync(stoppingToken);
                    while (FillBatch())
                    {
                        try
                        {
                            await SendAsync(connection, stoppingToken);
                        }
                        catch (Exception e) when (e is not OperationCanceledException && !IsConnectionFailure(e))
                        {
                            // The server refused these events themselves (not the connection): retrying cannot help.
                            logger.LogWarning(e, "Could not relay {Count} events to other Hearth processes; they were dropped", _batch.Count);
                        }
                        foreach (var sent in _batch)
                        {
                            sent.Sent?.TrySetResult();
                        }
                        _batch.Clear();
                        _batchBytes = 0;
                    }
                }
                catch (Exception e) when (IsConnectionFailure(e))
                {
                    // The event stays pending and goes out once the database answers again.
                    logger.LogWarning(e, "Could not relay events to other Hearth processes; retrying shortly");
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The database or the way to it failed (worth another try), as opposed to this one event being refused.</summary>
    private static bool IsConnectionFailure(Exception e) =>
        e is PostgresException { IsTransient: true } or NpgsqlException and not PostgresException or IOException or InvalidOperationException;

    /// <summary>Tops the batch up from the queue with as many events as fit one notification (at least one).</summary>
    /// <returns>False when there is nothing to send.</returns>
    private bool FillBatch()
    {
        while (_outgoing.Reader.TryPeek(out var next))
        {
            var bytes = Encoding.UTF8.GetByteCount(next.Entry) + 1;
            if (_batch.Count > 0 && WrapperBytes + _batchBytes + bytes > InlineLimit)
            {
                break;
            }
            _outgoing.Reader.TryRead(out _);
            _batch.Add(next);
            _batchBytes += bytes;
        }
        return _batch.Count > 0;
    }

    private string Payload(IEnumerable<string> entries) => $"{{\"origin\":\"{_origin}\",\"events\":[{string.Join(',', entries)}]}}";

    /// <summary>
    /// One notification for the batch: <c>{"origin","events":[{"user_id","envelope"} or {"listening"},…]}</c>, or the id
    /// of a row holding it when too large.
    /// </summary>
    private async Task SendAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var payload = Payload(_batch.Select(b => b.Entry));
        if (Encoding.UTF8.GetByteCount(payload) > InlineLimit)
        {
            await using var store = new NpgsqlCommand(
                ForgetOldRows + "; INSERT INTO relayed_events (payload) VALUES (@payload) RETURNING id", connection);
            store.Parameters.AddWithValue("payload", payload);
            payload = "@" + await store.ExecuteScalarAsync(cancellationToken);
        }
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", Channel);
        notify.Parameters.AddWithValue("payload", payload);
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Delivers received events one at a time, so one stored in a row does not fall behind the next.</summary>
    private async Task DeliverLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var payload in _incoming.Reader.ReadAllAsync(stoppingToken))
            {
                await ReceiveAsync(payload, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReceiveAsync(string payload, CancellationToken cancellationToken)
    {
        try
        {
            if (payload.StartsWith(OwnPrefix, StringComparison.Ordinal))
            {
                return;
            }
            if (payload.StartsWith('@'))
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
                await using var load = new NpgsqlCommand("SELECT payload FROM relayed_events WHERE id = @id", connection);
                load.Parameters.AddWithValue("id", long.Parse(payload[1..], System.Globalization.CultureInfo.InvariantCulture));
                payload = await load.ExecuteScalarAsync(cancellationToken) as string ?? "{}";
            }
            if (JsonNode.Parse(payload) is not JsonObject obj || MessageTree.String(obj["origin"]) == _origin)
            {
                return;
            }
            // A batch; or, from a process of an earlier version during an upgrade, one event.
            IEnumerable<JsonNode?> entries = obj["events"] is JsonArray events ? events : [obj];
            foreach (var entry in entries)
            {
                if (MessageTree.String(entry?["user_id"]) is { } userId && MessageTree.String(entry?["envelope"]) is { } envelope)
                {
                    bus.Deliver(new ChatEvent(userId, envelope));
                }
                else if (MessageTree.String(entry?["listening"]) is { } listener)
                {
                    _listenersElsewhere[listener] = clock.GetUtcNow();
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever one payload holds, the loop that delivers the next must go on.
            logger.LogWarning(e, "Could not read a relayed event");
        }
    }
}
