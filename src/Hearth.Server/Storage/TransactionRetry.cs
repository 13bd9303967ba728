using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>
/// Runs a transaction again when PostgreSQL aborted it to break a deadlock or a serialisation conflict: the
/// abort rolled everything back, so work that keeps no state outside its transaction may simply be repeated.
/// For writes whose lock order cannot be fixed in advance (a batch of keys in the client's order) and for a user's
/// deletion, which meets every kind of write of theirs.
/// </summary>
internal static class TransactionRetry
{
    private const int MaxAttempts = 5;

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (PostgresException e) when (attempt < MaxAttempts &&
                e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
            }
        }
    }
}
