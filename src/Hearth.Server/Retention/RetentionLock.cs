using Hearth.Server.Storage;

namespace Hearth.Server.Retention;

/// <summary>
/// One retention pass at a time: in this process a semaphore, and on PostgreSQL a session advisory lock held on
/// a connection of its own for the whole pass, so of several Hearth processes on one database only one runs it
/// (the others skip that round). SQLite's database belongs to one process.
/// </summary>
internal sealed class RetentionLock(Database database) : IDisposable
{
    /// <summary>The processes' lock (<see cref="SessionLock"/>).</summary>
    public const string Name = "hearth-chat-retention";

    private readonly SemaphoreSlim _inProcess = new(1, 1);

    /// <returns>A lease to dispose when the pass ends, or null when another pass holds the lock.</returns>
    public async Task<IAsyncDisposable?> TryTakeAsync(CancellationToken cancellationToken)
    {
        if (!await _inProcess.WaitAsync(0, cancellationToken))
        {
            return null;
        }
        try
        {
            if (await SessionLock.TryTakeAsync(database, Name, cancellationToken) is { } session)
            {
                return new Lease(this, session);
            }
        }
        catch
        {
            _inProcess.Release();
            throw;
        }
        _inProcess.Release();
        return null;
    }

    public void Dispose() => _inProcess.Dispose();

    private sealed class Lease(RetentionLock owner, IAsyncDisposable session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await session.DisposeAsync();
            }
            finally
            {
                owner._inProcess.Release();
            }
        }
    }
}
