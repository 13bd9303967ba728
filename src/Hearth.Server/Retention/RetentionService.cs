using Microsoft.Extensions.Options;

namespace Hearth.Server.Retention;

/// <summary>
/// Runs a retention pass every <see cref="RetentionOptions.Interval"/> (CHAT_RETENTION_INTERVAL). A round another
/// process is running is skipped here; a failed round is logged and the next one tries again.
/// </summary>
internal sealed class RetentionService(RetentionRunner runner, IOptions<RetentionOptions> options, TimeProvider clock,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a batch in flight was rolled back or committed whole; the next start picks up the rest.
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await runner.RunAsync(stoppingToken);
            if (outcome is null)
            {
                logger.LogDebug("Chat retention skipped: another pass is running");
            }
            else if (outcome.Deleted + outcome.Archived > 0)
            {
                logger.LogInformation("Chat retention deleted {Deleted} and archived {Archived} chats", outcome.Deleted, outcome.Archived);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Chat retention failed; the next round tries again");
        }
    }
}
