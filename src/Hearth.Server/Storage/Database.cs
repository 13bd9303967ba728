using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>
/// The one connection factory: pooled SQLite connections (WAL, foreign keys, busy retry) or one
/// <see cref="NpgsqlDataSource"/>. Stores ask it for connections; nothing else opens one.
/// </summary>
internal sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    static Database()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(DatabaseUrl url)
    {
        Provider = url.Provider;
        Description = url.Description;
        Setting = url.Setting;
        _connectionString = url.ConnectionString;
        if (Provider == DatabaseProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(url.ConnectionString);
        }
        else
        {
            var file = new SqliteConnectionStringBuilder(url.ConnectionString).DataSource;
            var directory = Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(directory))
            {
                try
                {
                    Hosting.PrivateFiles.CreateFolder(directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new Hosting.StartupProblem($"the folder of the database ({url.Setting}) cannot be created: {e.Message.TrimEnd('.')}.", e);
                }
            }
            // Created 0644 by versions before the file-creation mask: every chat and password hash is in there.
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                Hosting.PrivateFiles.Narrow(file + suffix);
            }
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Provider and location, without credentials, for logs.</summary>
    public string Description { get; }

    /// <summary>Where the database was chosen (<c>DATABASE_URL=...</c>, password hidden), for messages about problems to fix.</summary>
    public string Setting { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Telemetry.HearthTelemetry.Track(connection);
        return connection;
    }

    /// <summary>
    /// A PostgreSQL connection of its own, outside the pool, for session state that must end with it (LISTEN, a session
    /// lock): pooled connections are not reset when they go back (<see cref="DatabaseUrl"/>).
    /// </summary>
    public async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// A read-only transaction whose statements all see one state of the database: REPEATABLE READ on
    /// PostgreSQL, a deferred transaction on SQLite (its WAL snapshot is taken at the first read and kept, and
    /// no write lock is asked for). Dispose it when done; there is nothing to commit.
    /// </summary>
    public static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. On SQLite the transaction takes the write lock at
    /// once (BEGIN IMMEDIATE), so read-then-write sequences cannot deadlock on upgrade.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(work, _ => true, null, cancellationToken);

    /// <summary>
    /// Like <see cref="InTransactionAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>, but
    /// commits only when <paramref name="commit"/> accepts the result and rolls back otherwise: for work whose
    /// expected refusals (a failed precondition, a limit) are results rather than exceptions.
    /// <paramref name="committed"/> runs after a commit and, on SQLite, before the next write transaction begins,
    /// so what it announces is announced in commit order.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commit,
        Action<T>? committed, CancellationToken cancellationToken)
    {
        if (_postgres is null)
        {
            // SQLite has one writer at a time, and Microsoft.Data.Sqlite meets a busy database by sleeping 150 ms
            // before it retries: queueing this process's write transactions here keeps them from colliding.
            await _sqliteWriter.WaitAsync(cancellationToken);
        }
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            if (commit(result))
            {
                await transaction.CommitAsync(cancellationToken);
                committed?.Invoke(result);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            return result;
        }
        finally
        {
            if (_postgres is null)
            {
                _sqliteWriter.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
