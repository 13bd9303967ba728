using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;
using Npgsql;

namespace Hearth.Server.Backups;

/// <summary>The SQL of a restore: the target's schema version, whether it holds data, clearing it, counting rows.</summary>
internal static class RestoreStore
{
    /// <summary>The highest migration applied to the target, or null when Hearth never set it up.</summary>
    public static async Task<int?> SchemaVersionAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var exists = connection is NpgsqlConnection
            ? await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL")
            : await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") > 0;
        return exists ? await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_migrations") : null;
    }

    /// <summary>
    /// Brings a target Hearth never set up to the schema of the rows coming (<paramref name="version"/>: the rows go
    /// into it, the newer migrations run after them); a target already set up must be at that version.
    /// </summary>
    /// <returns>Why the target cannot take the rows, or null.</returns>
    public static async Task<string?> PrepareSchemaAsync(Database database, MigrationRunner migrations, int version, string source,
        CancellationToken cancellationToken)
    {
        var current = await SchemaVersionAsync(database, cancellationToken);
        if (current is null)
        {
            await migrations.ApplyAsync(MigrationScripts.Embedded(database.Provider).Where(m => m.Version <= version).ToList(), cancellationToken);
            return null;
        }
        return current == version
            ? null
            : $"the database ({database.Description}) is at schema version {current} and {source} at {version}: " +
              "use a database Hearth has not set up yet (an empty DATA_DIR, or a new PostgreSQL database).";
    }

    /// <summary>The Hearth tables that hold at least one row.</summary>
    public static async Task<IReadOnlyList<string>> OccupiedTablesAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var occupied = new List<string>();
        foreach (var table in BackupTables.All)
        {
            if (await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM (SELECT 1 FROM \"{table.Name}\" LIMIT 1) AS one") > 0)
            {
                occupied.Add(table.Name);
            }
        }
        return occupied;
    }

    /// <summary>Deletes every row (children first), derived tables included, for a forced restore.</summary>
    public static async Task ClearAsync(DbConnection connection, DbTransaction transaction)
    {
        foreach (var table in BackupTables.All.Reverse().Select(t => t.Name).Prepend("artifact_file_usage"))
        {
            await connection.ExecuteAsync($"DELETE FROM \"{table}\"", transaction: transaction);
        }
    }

    public static Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, string table) =>
        connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table}\"", transaction: transaction);

    /// <summary>PostgreSQL's type of each column of <paramref name="table"/> (text, bigint, boolean...).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ColumnTypesAsync(DbConnection connection, DbTransaction? transaction, string table) =>
        (await connection.QueryAsync<(string Name, string Type)>(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table",
            new { table }, transaction)).ToDictionary(c => c.Name, c => c.Type);
}
