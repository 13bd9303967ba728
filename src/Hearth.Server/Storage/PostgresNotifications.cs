using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>A PostgreSQL notification channel Hearth listens to, and what becomes of what arrives on it.</summary>
internal interface INotificationChannel
{
    string Name { get; }

    /// <summary>A payload from any process on the database, this one included. Called on the listening connection's loop: hand it on, do not wait.</summary>
    void Received(string payload);

    /// <summary>The listening connection was lost: whatever was sent meanwhile is gone, so streams built on it should end (their clients reconnect and read afresh).</summary>
    void Lost();
}

/// <summary>
/// The one connection per process that LISTENs, on PostgreSQL, to every <see cref="INotificationChannel"/>: the
/// events relayed between processes and the key-value store's changes. When it is lost, every channel hears of it
/// and the connection is opened again after a pause. <c>WaitUntilListeningAsync</c> is the signal that
/// notifications flow (at once on SQLite, where there are none): routes that promise a live stream and tests
/// wait for it instead of sleeping.
/// </summary>
internal sealed class PostgresNotifications(Database database, IEnumerable<INotificationChannel> channels, ILogger<PostgresNotifications> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name);
    private readonly Lock _listeningLock = new();
    private TaskCompletionSource _listening = Listening(!database.IsPostgres);

    /// <summary>True once notifications flow; false when the listener is not listening within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task listening;
        lock (_listeningLock)
        {
            listening = _listening.Task;
        }
        try
        {
            await listening.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres || _channels.Count == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Any failure (a server restart, the network, a terminated backend) must not stop the host: listen again.
                Lose();
                logger.LogWarning(e, "Lost the PostgreSQL connection that listens for other processes' changes; listening again in {Pause}", RetryPause);
                try
                {
                    await Task.Delay(RetryPause, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        // A connection of its own for as long as the process runs, outside the pool: its LISTEN ends with it.
        await using var connection = await database.OpenSessionAsync(stoppingToken);
        connection.Notification += (_, notification) =>
        {
            if (_channels.TryGetValue(notification.Channel, out var channel))
            {
                channel.Received(notification.Payload);
            }
        };
        var listen = string.Join("; ", _channels.Keys.Select(name => $"LISTEN {name}"));
        await using (var command = new NpgsqlCommand(listen, connection))
        {
            await command.ExecuteNonQueryAsync(stoppingToken);
        }
        lock (_listeningLock)
        {
            _listening.TrySetResult();
        }
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    private void Lose()
    {
        lock (_listeningLock)
        {
            if (_listening.Task.IsCompleted)
            {
                _listening = Listening(false);
            }
        }
        foreach (var channel in _channels.Values)
        {
            channel.Lost();
        }
    }

    private static TaskCompletionSource Listening(bool already)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (already)
        {
            listening.SetResult();
        }
        return listening;
    }
}
