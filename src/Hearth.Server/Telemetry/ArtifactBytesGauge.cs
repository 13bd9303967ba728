namespace Hearth.Server.Telemetry;

/// <summary>
/// <c>hearth.artifacts.bytes</c>: bytes kept in the artifact key-value store (<c>store=kv</c>) and in artifact files
/// (<c>store=files</c>), as <see cref="ArtifactTotalsStore"/> sums them. Read every 30 seconds in the background, so a scrape never
/// waits on the database; runs only while metrics are exported.
/// </summary>
internal sealed class ArtifactBytesGauge(ArtifactTotalsStore store, ILogger<ArtifactBytesGauge> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private long _kv;
    private long _files;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HearthTelemetry.Meter.CreateObservableGauge("hearth.artifacts.bytes", () => new[]
        {
            new System.Diagnostics.Metrics.Measurement<long>(Interlocked.Read(ref _kv), new KeyValuePair<string, object?>("store", "kv")),
            new System.Diagnostics.Metrics.Measurement<long>(Interlocked.Read(ref _files), new KeyValuePair<string, object?>("store", "files")),
        }, "By", "Bytes of artifacts stored.");
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var totals = await store.ReadAsync(stoppingToken);
                Interlocked.Exchange(ref _kv, totals.KeyValueBytes);
                Interlocked.Exchange(ref _files, totals.FileBytes);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                logger.LogWarning(failure, "Artifact byte totals for the metrics could not be read.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
