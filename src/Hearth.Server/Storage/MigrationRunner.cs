using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Hearth.Server.Storage;

/// <summary>One numbered, embedded SQL script per schema step and provider.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the pending migrations of the current provider in one transaction and records each in
/// <c>schema_migrations</c>. A database that already has a version this build does not know was written
/// by a newer Hearth: it is refused untouched rather than risk damaging it.
/// </summary>
internal sealed partial class MigrationRunner(Database database, ILogger<MigrationRunner> logger, TimeProvider clock)
{
    // Any constant works; it only has to be the same in every Hearth process sharing a PostgreSQL database.
    private const long PostgresLockKey = 0x4865617274;

    public static IReadOnlyList<Migration> Embedded(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Postgres ? ".postgres." : ".sqlite.";
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(".Migrations" + folder, StringComparison.Ordinal))
            .Select(name => (name, match: ScriptName().Match(name)))
            .Where(x => x.match.Success)
            .Select(x => new Migration(int.Parse(x.match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                x.match.Groups["name"].Value, Read(assembly, x.name)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    public async Task<int> ApplyAsync(CancellationToken cancellationToken) =>
        await ApplyAsync(Embedded(database.Provider), cancellationToken);

    /// <returns>How many migrations were applied.</returns>
    public async Task<int> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (!database.IsPostgres)
        {
            // WAL is a property of the file: set once, kept by every later connection.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresLockKey }, transaction);
        }
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new DatabaseTooNewException(
                $"The database ({database.Description}) has schema version {applied.Max()}, but this Hearth knows versions up to {newest}. " +
                "It was written by a newer Hearth: run that version, or point DATABASE_URL at another database. Nothing was changed.");
        }
        var count = 0;
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            logger.LogInformation("Applying database migration {Version} {Name}", migration.Version, migration.Name);
            await Execute(connection, transaction, migration.Sql);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @at)",
                new { migration.Version, migration.Name, at = clock.GetUtcNow().ToUnixTimeSeconds() }, transaction);
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private static async Task Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\.(?<version>\d{4})_(?<name>\w+)\.sql$")]
    private static partial Regex ScriptName();
}

internal sealed class DatabaseTooNewException(string message) : Exception(message);
