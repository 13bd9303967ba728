using System.Data.Common;
using Dapper;

namespace Hearth.Server.Storage;

/// <summary>
/// Applies the pending migrations of the current provider in one transaction and records each, with the
/// SHA-256 of its script, in <c>schema_migrations</c>. A database is refused untouched when it has a version
/// this build does not know (a newer Hearth wrote it), a recorded hash that differs from the script this
/// build ships (a released migration was edited, or the record was), or a migration missing below later ones;
/// a script the database refuses stops start-up naming it, with everything rolled back.
/// </summary>
internal sealed class MigrationRunner(Database database, ILogger<MigrationRunner> logger, TimeProvider clock)
{
    // Any constant works; it only has to be the same in every Hearth process sharing a PostgreSQL database.
    private const long PostgresLockKey = 0x4865617274;

    public async Task<int> ApplyAsync(CancellationToken cancellationToken) =>
        await ApplyAsync(MigrationScripts.Embedded(database.Provider), cancellationToken);

    /// <returns>How many migrations were applied.</returns>
    public async Task<int> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresLockKey }, transaction);
        }
        // The bookkeeping table first, in this transaction: a refusal below rolls its upgrade back too.
        await MigrationLedger.PrepareAsync(connection, transaction, migrations);
        var applied = await MigrationLedger.ReadAsync(connection, transaction);
        MigrationRefusals.RefuseNewer(applied, migrations, database.Description);
        MigrationRefusals.RefuseChanged(applied, migrations, database.Description);
        MigrationRefusals.RefuseGaps(applied, migrations, database.Description);
        WarnOfUnknownHashes(applied);
        var count = 0;
        var done = applied.Select(a => a.Version).ToHashSet();
        foreach (var migration in migrations.Where(m => !done.Contains(m.Version)))
        {
            logger.LogInformation("Applying database migration {Version} {Name}", migration.Version, migration.Name);
            try
            {
                await Execute(connection, transaction, migration.Sql);
            }
            catch (DbException e) when (e is Npgsql.PostgresException || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: not (5 or 6) })
            {
                // The database's refusal of the script (not a lost connection, a timeout or a busy file, which say so themselves).
                throw MigrationRefusals.Failed(migration, database.Description, e);
            }
            await MigrationLedger.RecordAsync(connection, transaction, migration, clock.GetUtcNow());
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>
    /// The first connection Hearth makes: when the database cannot be reached or refuses it, a
    /// <see cref="Hosting.StartupProblem"/> names the setting (password hidden) and gives the database's own answer.
    /// </summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = await database.OpenAsync(cancellationToken);
            if (!database.IsPostgres)
            {
                // WAL is a property of the file: set once, kept by every later connection.
                await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            }
            return connection;
        }
        catch (DbException e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            throw new Hosting.StartupProblem($"the database cannot be used ({database.Setting}): {Answer(e)}", e);
        }
    }

    /// <summary>The database server's own words (PostgreSQL's message, or why the connection failed), without codes and traces.</summary>
    private static string Answer(DbException e) => e switch
    {
        Npgsql.PostgresException postgres => $"PostgreSQL answered: {postgres.MessageText}.",
        { InnerException: { } inner } when e is Npgsql.NpgsqlException => $"{e.Message.TrimEnd('.')}: {inner.Message.TrimEnd('.')}.",
        _ => e.Message,
    };

    private void WarnOfUnknownHashes(IReadOnlyList<AppliedMigration> applied)
    {
        var unknown = applied.Where(a => a.Sha256 is null).Select(a => $"{a.Version:D4}_{a.Name}.sql").ToList();
        if (unknown.Count > 0)
        {
            logger.LogWarning(
                "Database {Database}: migrations {Scripts} were recorded before Hearth kept script hashes, and their scripts " +
                "changed after release, so which version this database holds is unknown and cannot be checked",
                database.Description, string.Join(", ", unknown));
        }
    }

    private static async Task Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
