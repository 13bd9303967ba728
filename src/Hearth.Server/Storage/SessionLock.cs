using System.Data.Common;
using Dapper;

namespace Hearth.Server.Storage;

/// <summary>
/// A turn that only one Hearth process on a PostgreSQL database holds at a time: a session advisory lock on the
/// name, held on a connection of its own until the lease is disposed. SQLite's database belongs to one process,
/// so there the lease is always granted (callers that run more than once in a process keep their own guard).
/// </summary>
internal static class SessionLock
{
    /// <returns>A lease to dispose when the work ends, or null while another process holds the lock.</returns>
    public static async Task<IAsyncDisposable?> TryTakeAsync(Database database, string name, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return new Lease(null);
        }
        var connection = await database.OpenSessionAsync(cancellationToken);
        try
        {
            if (await TryTakeOnAsync(connection, name))
            {
                return new Lease(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// The lock taken on <paramref name="connection"/>, which must be a connection of its own
    /// (<see cref="Database.OpenSessionAsync"/>): for work that runs on the same session as its lock, so that the
    /// lock ends exactly when the work's connection does. Closing the connection lets go.
    /// </summary>
    public static Task<bool> TryTakeOnAsync(DbConnection connection, string name) =>
        connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext(@name))", new { name });

    /// <summary>The lock goes with its connection, which is its own (<see cref="Database.OpenSessionAsync"/>).</summary>
    private sealed class Lease(DbConnection? connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection is null)
            {
                return;
            }
            // The connection is outside the pool: closing it ends the session, and the lock with it.
            await connection.DisposeAsync();
        }
    }
}
