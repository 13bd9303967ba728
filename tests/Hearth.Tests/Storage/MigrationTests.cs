using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

public abstract class MigrationTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task<List<(int Version, long AppliedAt)>> Applied(HearthApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        return (await connection.QueryAsync<(int, long)>("SELECT version, applied_at FROM schema_migrations ORDER BY version")).ToList();
    }

    [Fact]
    public async Task AFreshDatabaseGetsEveryMigrationRecordedOnce()
    {
        await using var app = await StartAsync();
        var provider = app.Services.GetRequiredService<Database>().Provider;
        var expected = MigrationScripts.Embedded(provider).Select(m => m.Version).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, (await Applied(app)).Select(a => a.Version).ToList());
    }

    [Fact]
    public async Task RunningTheMigrationsAgainChangesNothing()
    {
        await using var app = await StartAsync();
        var before = await Applied(app);
        await app.RestartAsync();
        Assert.Equal(0, await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(default));
        Assert.Equal(before, await Applied(app));
    }

    [Fact]
    public async Task ADatabaseFromANewerHearthIsRefusedUntouched()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        await using (var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default))
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
        }
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.RestartAsync());
        Assert.Contains("newer Hearth", error.ToString());

        // The refused database still holds its user and its future version.
        await using var database = new Database(DatabaseUrl.Parse(app.DatabaseUrl, app.DataDir));
        await using var reopened = await database.OpenAsync(default);
        Assert.Equal(1, await reopened.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE id = @Id", new { admin.Id }));
        Assert.Equal(1, await reopened.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = 9999"));
    }

    private static async Task<Dictionary<int, string?>> RecordedHashes(DbConnection connection) =>
        (await connection.QueryAsync<(int Version, string? Sha256)>("SELECT version, sha256 FROM schema_migrations"))
        .ToDictionary(row => row.Version, row => row.Sha256);

    [Fact]
    public async Task EachAppliedScriptIsRecordedWithItsHash()
    {
        await using var app = await StartAsync();
        var database = app.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(default);
        Assert.Equal(MigrationScripts.Embedded(database.Provider).ToDictionary(m => m.Version, m => (string?)m.Sha256),
            await RecordedHashes(connection));
    }

    [Fact]
    public async Task ADatabaseBuiltByAnotherScriptIsRefusedNamingIt()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var provider = app.Services.GetRequiredService<Database>().Provider;
        var shipped = MigrationScripts.Embedded(provider).Single(m => m.Version == 3);
        var other = new string('a', 64);
        await using (var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default))
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET sha256 = @other WHERE version = 3", new { other });
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.RestartAsync());
        var message = error.ToString();
        Assert.Contains("Migration 0003 (0003_artifacts.sql)", message);
        Assert.Contains($"from a script with SHA-256 {other}", message);
        Assert.Contains($"ships 0003_artifacts.sql with SHA-256 {shipped.Sha256}", message);
        Assert.Contains("put the change into a new migration", message);
        Assert.Contains("Nothing was changed", message);

        await using var database = new Database(DatabaseUrl.Parse(app.DatabaseUrl, app.DataDir));
        await using var reopened = await database.OpenAsync(default);
        Assert.Equal(1, await reopened.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE id = @Id", new { admin.Id }));
        Assert.Equal(other, (await RecordedHashes(reopened))[3]);
    }

    /// <summary>
    /// A database made before Hearth kept hashes: the scripts applied and recorded by hand in the old table shape
    /// (version, name, applied_at), as the runner of those versions did.
    /// </summary>
    /// <remarks>
    /// Hashes came with 0008, so scripts up to 0007 only; <paramref name="earlier"/> swaps in the text a script had
    /// on an earlier commit of main (from <c>Storage/EarlierScripts</c>).
    /// </remarks>
    private static async Task BuildWithTheOldBookkeepingAsync(string url, bool earlier = false, int? skip = null)
    {
        await using var database = new Database(DatabaseUrl.Parse(url, "."));
        await using var connection = await database.OpenAsync(default);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: transaction);
        var folder = Path.Combine(AppContext.BaseDirectory, "Storage", "EarlierScripts",
            database.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite");
        foreach (var migration in MigrationScripts.Embedded(database.Provider).Where(m => m.Version <= 7 && m.Version != skip))
        {
            var earlierText = Path.Combine(folder, migration.FileName);
            var sql = earlier && File.Exists(earlierText) ? await File.ReadAllTextAsync(earlierText) : migration.Sql;
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, 0)",
                migration, transaction);
        }
        await transaction.CommitAsync();
    }

    /// <summary>Start-up fails with <paramref name="expected"/> in its message, and the ledger is what it was.</summary>
    private async Task AssertRefusedUntouchedAsync(string url, params string[] expected)
    {
        var before = await LedgerAsync(url);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => HearthApp.StartAsync(Kind, databaseUrl: url));
        var message = Hearth.Server.Hosting.StartupFailure.Describe(error);
        Assert.StartsWith("Hearth cannot start: ", message);
        Assert.All(expected, text => Assert.Contains(text, message));
        Assert.Equal(before, await LedgerAsync(url));
    }

    private static async Task<List<int>> LedgerAsync(string url)
    {
        await using var database = new Database(DatabaseUrl.Parse(url, "."));
        await using var connection = await database.OpenAsync(default);
        return (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
    }

    /// <summary>Runs <paramref name="test"/> with a new, empty database (a SQLite file in a folder removed afterwards).</summary>
    private async Task WithNewDatabaseAsync(Func<string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("hearth-migrations-");
        try
        {
            await test(Kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : "sqlite:///" + Path.Combine(folder.FullName, "hearth.db"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Main at b108c0e (23 November 2026) made such databases: its 0004 created a table today's 0003 creates, with no 0003.
    [Fact]
    public Task ADatabaseLackingAMigrationBelowOthersItHasIsRefusedUntouched() => WithNewDatabaseAsync(async url =>
    {
        await BuildWithTheOldBookkeepingAsync(url, skip: 3);
        await AssertRefusedUntouchedAsync(url, "lacks migration 0003_artifacts.sql but has later ones (up to 7)", "b108c0e", "Nothing was changed.");
    });

    [Fact]
    public Task AMigrationTheDatabaseRefusesStopsStartUpNamingItAndChangesNothing() => WithNewDatabaseAsync(async url =>
    {
        await BuildWithTheOldBookkeepingAsync(url);
        await using (var database = new Database(DatabaseUrl.Parse(url, ".")))
        await using (var connection = await database.OpenAsync(default))
        {
            // Made by hand where 0008 makes it: the script's CREATE TABLE meets it.
            await connection.ExecuteAsync("CREATE TABLE chat_flat_messages (x INTEGER)");
        }
        await AssertRefusedUntouchedAsync(url, "Migration 0008_chat_flat_messages.sql failed on the database", "already exists", "Nothing was changed.");
    });

    [Fact]
    public Task ADatabaseFromBeforeHashesIsUpgradedAndStarts() => WithNewDatabaseAsync(async url =>
    {
        await BuildWithTheOldBookkeepingAsync(url);
        await StartsUpgradedAsync(url);
    });

    [Fact]
    public async Task ADatabaseBuiltByEarlierTextsOfTheEditedScriptsEndsWithTodaysSchema()
    {
        var folder = Directory.CreateTempSubdirectory("hearth-earlier-");
        try
        {
            // The first released texts of 0002 (before the list indexes), 0006 (before the snapshot-order and
            // stays-first fixes) and 0007 (one PostgreSQL trigger for inserts and updates), then today's 0008 on.
            var (earlierUrl, todayUrl) = Kind == DatabaseKind.Postgres
                ? (await PostgresServer.CreateDatabaseAsync(), await PostgresServer.CreateDatabaseAsync())
                : ("sqlite:///" + Path.Combine(folder.FullName, "earlier.db"), "sqlite:///" + Path.Combine(folder.FullName, "today.db"));
            await BuildWithTheOldBookkeepingAsync(earlierUrl, earlier: true);
            await StartsUpgradedAsync(earlierUrl);
            await using (var today = await HearthApp.StartAsync(Kind, databaseUrl: todayUrl))
            {
                await today.SignUpAsync("Ada");
            }
            var schema = await SchemaAsync(earlierUrl);
            Assert.Equal(await SchemaAsync(todayUrl), schema);
            Assert.Contains(schema, s => s.StartsWith("index chats_default_list_idx", StringComparison.Ordinal));
            Assert.Contains(schema, s => s.StartsWith("column chat_flat_messages.message_id", StringComparison.Ordinal));
            Assert.DoesNotContain(schema, s => s.Contains("chat_list_version_") || s.Contains("chat_folder_guard") || s.Contains("chats_user_archived_idx"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Every table's columns, index, trigger and function, as the database describes them, whitespace normalised.</summary>
    private static async Task<List<string>> SchemaAsync(string url)
    {
        await using var database = new Database(DatabaseUrl.Parse(url, "."));
        await using var connection = await database.OpenAsync(default);
        IEnumerable<string> rows = database.Provider == DatabaseProvider.Postgres
            ? (await connection.QueryAsync<string>(
                """
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '')
                    FROM information_schema.columns WHERE table_schema = 'public'
                UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
                UNION ALL SELECT 'trigger ' || trigger_name || ' ' || event_manipulation || ' ' || event_object_table || ' ' || action_statement
                    FROM information_schema.triggers WHERE trigger_schema = 'public'
                UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
                """))
            : (await connection.QueryAsync<string>(
                """
                SELECT 'column ' || m.name || '.' || c.name || ' ' || c.type || ' ' || c."notnull" || ' ' || COALESCE(c.dflt_value, '') || ' ' || c.pk
                    FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table'
                UNION ALL SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type IN ('index', 'trigger')
                """));
        return rows.Where(r => !r.Contains("schema_migrations"))
            .Select(r => System.Text.RegularExpressions.Regex.Replace(r, @"\s+", " ").Trim()).Order(StringComparer.Ordinal).ToList();
    }

    private async Task StartsUpgradedAsync(string url)
    {
        await using var app = await HearthApp.StartAsync(Kind, databaseUrl: url);
        var admin = await app.SignUpAsync("Ada");
        var database = app.Services.GetRequiredService<Database>();
        await using (var connection = await database.OpenAsync(default))
        {
            // Scripts with one released text get its hash; those edited after release (0002, 0004, 0006, 0007)
            // may have run in an older text, so their hash is unknown.
            var expected = MigrationScripts.Embedded(database.Provider)
                .ToDictionary(m => m.Version, m => m.Version is 2 or 4 or 6 or 7 ? null : (string?)m.Sha256);
            Assert.Equal(expected, await RecordedHashes(connection));
        }

        // Unknown hashes are let through on every later start.
        await app.RestartAsync();
        var again = await app.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(admin.Id, again.Id);
    }

    [Fact]
    public async Task LinksSharedBeforeGrantsKeepOpeningForEveryUser()
    {
        var folder = Directory.CreateTempSubdirectory("hearth-0014-");
        try
        {
            var url = Kind == DatabaseKind.Postgres
                ? await PostgresServer.CreateDatabaseAsync()
                : "sqlite:///" + Path.Combine(folder.FullName, "hearth.db");
            await using var database = new Database(DatabaseUrl.Parse(url, "."));
            var runner = new MigrationRunner(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance, TimeProvider.System);
            var scripts = MigrationScripts.Embedded(database.Provider);
            await runner.ApplyAsync(scripts.Where(m => m.Version < 14).ToList(), default);
            await using (var connection = await database.OpenAsync(default))
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO users (id, name, email, role, profile_image_url, last_active_at, created_at, updated_at)
                    VALUES ('u1', 'Ada', 'ada@example.com', 'admin', '/user.png', 1, 1, 1);
                    INSERT INTO chats (id, user_id, owner_id, title, search_title, doc, has_tree, share_id, created_at, updated_at)
                    VALUES ('shared', 'u1', 'u1', 'Shared', 'shared', '{}', FALSE, 'link', 1, 5),
                           ('link', 'shared-shared', 'u1', 'Shared', 'shared', '{}', FALSE, NULL, 1, 5),
                           ('private', 'u1', 'u1', 'Private', 'private', '{}', FALSE, NULL, 1, 5);
                    """);
            }
            await runner.ApplyAsync(scripts, default);
            await using var after = await database.OpenAsync(default);
            var grants = (await after.QueryAsync<(string, string, string, string, string)>(
                "SELECT resource_type, resource_id, principal_type, principal_id, permission FROM access_grants")).ToList();
            Assert.Equal(("shared_chat", "shared", "user", "*", "read"), Assert.Single(grants));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DataIsKeptAcrossARestart()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        await app.RestartAsync();
        var again = await app.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(admin.Id, again.Id);
        Assert.Equal("admin", again.Role);
    }
}

public sealed class MigrationTestsOnSqlite() : MigrationTests(DatabaseKind.Sqlite);
public sealed class MigrationTestsOnPostgres() : MigrationTests(DatabaseKind.Postgres);
