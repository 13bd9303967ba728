using System.Text.RegularExpressions;
using Dapper;

namespace Hearth.Server.Storage;

/// <summary>
/// Builds the indexes a bulk copy left in <see cref="DeferredIndexes"/> while Hearth serves (PostgreSQL only):
/// each with <c>CREATE INDEX CONCURRENTLY</c>, so reads and writes go on, and searches work meanwhile, only more
/// slowly. One process builds at a time (a <see cref="SessionLock"/>); the others look again each minute until
/// none is left, so a build stopped by a crash or a shutdown is taken up again by whichever process comes next.
/// </summary>
internal sealed partial class DeferredIndexBuilder(Database database, ILogger<DeferredIndexBuilder> logger, TimeProvider clock) : BackgroundService
{
    // Any constant, the same in every Hearth process; another than the other locks.
    private const string LockName = "hearth-deferred-indexes";
    private static readonly TimeSpan LookAgain = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres)
        {
            return;
        }
        while (true)
        {
            try
            {
                if (await BuildAllAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Building the indexes migrate-db left failed; Hearth tries again in a minute");
            }
            try
            {
                await Task.Delay(LookAgain, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>True when none is left to build; false while another process builds them.</returns>
    public async Task<bool> BuildAllAsync(CancellationToken cancellationToken)
    {
        await using (var look = await database.OpenAsync(cancellationToken))
        {
            if ((await DeferredIndexes.ReadAsync(look)).Count == 0)
            {
                return true;
            }
        }
        // The lock and the builds on one session of their own: should this process go mid-build, the lock lasts as long
        // as the build does (it ends with the session), so the next holder does not drop and redo a build still running;
        // and a session setting cannot reach the pool.
        await using var connection = await database.OpenSessionAsync(cancellationToken);
        if (!await SessionLock.TryTakeOnAsync(connection, LockName))
        {
            return false;
        }
        await connection.ExecuteAsync("SET maintenance_work_mem = '256MB'");
        foreach (var index in await DeferredIndexes.ReadAsync(connection))
        {
            // A build of the same index running elsewhere (not through this lock): wait for it rather than drop its index.
            if (await connection.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_progress_create_index WHERE index_relid = to_regclass(@name) AND pid <> pg_backend_pid())",
                    new { name = index.IndexName }))
            {
                return false;
            }
            logger.LogInformation("Building index {Index} of {Table}, which migrate-db left for Hearth to build; searches are slower until it is done",
                index.IndexName, index.TableName);
            var started = clock.GetTimestamp();
            // A build that was stopped leaves its index behind, marked invalid, which IF NOT EXISTS would keep as it is.
            if (await connection.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(@name) AND NOT indisvalid)", new { name = index.IndexName }))
            {
                await connection.ExecuteAsync(new CommandDefinition($"DROP INDEX CONCURRENTLY IF EXISTS \"{index.IndexName}\"",
                    commandTimeout: 0, cancellationToken: cancellationToken));
            }
            // No time limit: a trigram index over millions of messages takes minutes.
            await connection.ExecuteAsync(new CommandDefinition(Concurrently(index.Definition), commandTimeout: 0, cancellationToken: cancellationToken));
            await DeferredIndexes.ForgetAsync(connection, index.IndexName);
            logger.LogInformation("Built index {Index} of {Table} in {Seconds:F1} s", index.IndexName, index.TableName,
                clock.GetElapsedTime(started).TotalSeconds);
        }
        return true;
    }

    /// <summary>PostgreSQL's <c>CREATE [UNIQUE] INDEX name ON …</c> as a concurrent build that leaves an index already there alone.</summary>
    internal static string Concurrently(string definition)
    {
        var concurrent = CreateIndex().Replace(definition, "CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ", 1);
        return concurrent != definition ? concurrent
            : throw new InvalidDataException($"{DeferredIndexes.Table} holds a definition that is no CREATE INDEX statement: {definition}");
    }

    [GeneratedRegex("^CREATE (UNIQUE )?INDEX ")]
    private static partial Regex CreateIndex();
}
