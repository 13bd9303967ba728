using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Audit;

/// <summary>
/// Appends audit lines to <c>AUDIT_LOGS_FILE_PATH</c> from a background loop, so a slow or failing disk never holds a
/// request: lines wait in a bounded queue (dropped with a warning when it is full) and a failed write is logged and
/// dropped. Before a write would take the file past <c>AUDIT_LOG_FILE_ROTATION_SIZE</c>, the file is renamed to
/// <c>audit.{UTC time}.{pid}.log</c> and a new one begun, and rotated files past <c>AUDIT_LOG_FILE_RETENTION</c> removed. Several processes sharing the folder each write their own
/// lines to the same file: every append and rotation happens under an exclusive lock on <c>audit.log.lock</c>, so
/// lines never interleave and exactly one process rotates.
/// </summary>
internal sealed class AuditFileWriter(IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditFileWriter> logger) : IHostedService
{
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private Task _loop = Task.CompletedTask;
    private bool _failing;

    public void Enqueue(string line)
    {
        if (!_queue.Writer.TryWrite(line))
        {
            logger.LogWarning("Audit line dropped: the queue to {Path} is full (the disk is slow or failing).", options.Value.FilePath);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            _loop = Task.Run(WriteLoopAsync, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Writes what is queued before the process ends.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new StringBuilder();
        while (await _queue.Reader.WaitToReadAsync())
        {
            // One write per batch of whole lines, each batch no larger than a rotated file may be.
            while (batch.Length < options.Value.RotationSize / 2 && _queue.Reader.TryRead(out var line))
            {
                batch.Append(line).Append('\n');
            }
            await AppendAsync(Encoding.UTF8.GetBytes(batch.ToString()));
            batch.Clear();
        }
    }

    private async Task AppendAsync(byte[] bytes)
    {
        var path = options.Value.FilePath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var held = await AuditFileLock.TakeAsync(path + ".lock");
            var existing = new FileInfo(path);
            if (existing.Exists && existing.Length > 0 && existing.Length + bytes.Length > options.Value.RotationSize)
            {
                File.Move(path, RotatedPath(path));
                RemoveExpired(path);
            }
            using (var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0))
            {
                file.Write(bytes);
            }
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("Audit lines are written to {Path} again.", path);
            }
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or TimeoutException)
        {
            // Warn once per run of failures, not once per line.
            if (!_failing)
            {
                logger.LogWarning(failure, "Audit lines could not be written to {Path}; they are dropped until it works again.", path);
            }
            _failing = true;
        }
    }

    /// <summary>Rotated files past <c>AUDIT_LOG_FILE_RETENTION</c> go, under the lock that rotated them; one that will not go only warns.</summary>
    private void RemoveExpired(string path)
    {
        foreach (var expired in options.Value.Retention.Expired(path, clock.GetUtcNow()))
        {
            try
            {
                File.Delete(expired);
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(failure, "The rotated audit file {Path} could not be removed.", expired);
            }
        }
    }

    /// <summary><c>audit.2026-12-03_15-04-05_123456.4242.log</c>: sorts by time, and the pid keeps two processes' names apart.</summary>
    private string RotatedPath(string path)
    {
        var stamp = clock.GetUtcNow().ToString("yyyy-MM-dd_HH-mm-ss_ffffff", CultureInfo.InvariantCulture);
        return Path.Combine(Path.GetDirectoryName(path)!,
            $"{Path.GetFileNameWithoutExtension(path)}.{stamp}.{Environment.ProcessId}{Path.GetExtension(path)}");
    }
}
