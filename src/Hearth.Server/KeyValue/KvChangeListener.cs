using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.KeyValue;

/// <summary>
/// On PostgreSQL: one connection that LISTENs to <see cref="KvChangeFeed.Channel"/> and hands every
/// NOTIFY (from this process or any other on the same database) to the feed. A lost connection ends the
/// open streams (their clients reconnect and re-read) and is re-opened after a pause.
/// </summary>
internal sealed class KvChangeListener(Database database, KvChangeFeed feed, ILogger<KvChangeListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres)
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
                // Any failure (server restart, network, a terminated backend) must not stop the host: retry.
                feed.ListenerLost();
                logger.LogWarning(e, "The artifact change listener lost its PostgreSQL connection; reconnecting in {Pause}", RetryPause);
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
        // Held for as long as the process runs: a connection of its own, never returned to the pool mid-LISTEN.
        await using var connection = (NpgsqlConnection)await database.OpenAsync(stoppingToken);
        connection.Notification += (_, notification) =>
        {
            if (KvChangeFeed.Decode(notification.Payload) is { } change)
            {
                feed.Publish(change);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {KvChangeFeed.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        feed.ListenerStarted();
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }
}
