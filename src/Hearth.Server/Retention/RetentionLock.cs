using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Retention;

/// <summary>
/// One retention pass at a time: in this process a semaphore, and on PostgreSQL a session advisory lock held on
/// a connection of its own for the whole pass, so of several Hearth processes on one database only one runs it
/// (the others skip that round). SQLite's database belongs to one process.
/// </summary>
internal sealed class RetentionLock(Database database) : IDisposable
{
    /// <summary>The advisory lock's name (<c>hashtext</c> gives its key).</summary>
    public const string Name = "hearth-chat-retention";

    private readonly SemaphoreSlim _inProcess = new(1, 1);

    /// <returns>A lease to dispose when the pass ends, or null when another pass holds the lock.</returns>
    public async Task<IAsyncDisposable?> TryTakeAsync(CancellationToken cancellationToken)
    {
        if (!await _inProcess.WaitAsync(0, cancellationToken))
        {
            return null;
        }
        DbConnection? connection = null;
        try
        {
            if (database.IsPostgres)
            {
                connection = await database.OpenAsync(cancellationToken);
                if (!await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext(@Name))", new { Name }))
                {
                    await connection.DisposeAsync();
                    _inProcess.Release();
                    return null;
                }
            }
            return new Lease(this, connection);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            _inProcess.Release();
            throw;
        }
    }

    public void Dispose() => _inProcess.Dispose();

    private sealed class Lease(RetentionLock owner, DbConnection? connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection is not null)
            {
                try
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@Name))", new { Name });
                }
                finally
                {
                    // Should the unlock itself fail, the pool resets the session (DISCARD ALL) before reuse, which releases it.
                    await connection.DisposeAsync();
                }
            }
            owner._inProcess.Release();
        }
    }
}
