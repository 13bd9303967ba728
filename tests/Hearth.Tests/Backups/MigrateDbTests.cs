using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Backups;
using Hearth.Server.Storage;
using Hearth.Tests.Chats;
using Hearth.Tests.Groups;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.KeyValue;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hearth.Tests.Backups;

/// <summary>
/// <c>migrate-db</c> from a serving SQLite Hearth into a real PostgreSQL database: the same Hearth pointed at the
/// copy (same DATA_DIR, so the same files and signing secret) answers exactly as before; an interrupted run goes
/// on where it stopped; a target holding data is refused.
/// </summary>
public sealed class MigrateDbTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    // Another PostgreSQL database: the rows come through ADO.NET's reader instead of SQLite's statement.
    [InlineData(DatabaseKind.Postgres)]
    public async Task AHearthStartedOnTheCopyAnswersAsTheOriginal(DatabaseKind source)
    {
        await using var origin = await HearthApp.StartAsync(source);
        var data = await SeedAsync(origin);
        // A value several times the copy's 128 KiB buffer, in two- and three-byte characters.
        var large = JsonValue.Create(string.Concat(Enumerable.Repeat("ü€ ", 60_000))).ToJsonString();
        await Json.ReadAsync(await data.Ada.Client.StoreAsync("large", "personal", large), 200);
        var before = await ViewAsync(origin, data);
        var target = await PostgresServer.CreateDatabaseAsync();

        var outcome = await MoveAsync(origin, target);
        Assert.True(outcome.Moved, string.Join("\n", outcome.Problems));
        Assert.Equal(BackupTables.All.Select(t => t.Name), outcome.Counts.Select(c => c.Table));
        Assert.All(outcome.Counts, c => Assert.Equal(c.Source, c.Target));
        Assert.Contains(outcome.Counts, c => c.Table == "chat_messages" && c.Source > 10);
        Assert.Empty(outcome.Kept);
        Assert.False(await ProgressTableExistsAsync(target));

        await origin.RestartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = target });
        var after = await ViewAsync(origin, data);
        Assert.True(JsonNode.DeepEquals(before, after), $"before: {before}\nafter: {after}");
        await BackupSamples.AssertCredentialsWorkAsync(origin, data);
        var stored = await Json.ReadObjectAsync(await origin.Client(data.Ada.Token).GetArtifactAsync("large", "personal"), 200);
        Assert.Equal(large, stored["value"]!.ToJsonString());
    }

    [Fact]
    public async Task TheSearchIndexesAreLeftForTheHearthOnTheCopyWhichBuildsThemWhileItServes()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var data = await SeedAsync(origin);
        var found = await ChatDocs.TitlesAsync(await data.Ada.Client.GetAsync("/api/v1/chats/search?text=brown%20fox"));
        Assert.NotEmpty(found);
        string[] search = ["chat_messages_search_trgm_idx", "chats_search_title_trgm_idx"];
        var target = await PostgresServer.CreateDatabaseAsync();

        var outcome = await MoveAsync(origin, target);
        Assert.True(outcome.Moved, string.Join("\n", outcome.Problems));
        Assert.Equal(search, outcome.Deferred);
        Dictionary<string, string> fresh;
        await using (var made = await HearthApp.StartAsync(DatabaseKind.Postgres))
        {
            fresh = await IndexDefinitionsAsync(made.DatabaseUrl!, search);
        }
        Assert.Equal(search, fresh.Keys.Order());
        Assert.Empty(await IndexDefinitionsAsync(target, search));
        // As a build stopped halfway leaves it: an index of that name marked invalid (here a unique one that failed on duplicates).
        await using (var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString))
        {
            await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
                "CREATE UNIQUE INDEX CONCURRENTLY chat_messages_search_trgm_idx ON chat_messages (role)"));
            Assert.False(await connection.ExecuteScalarAsync<bool>(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'chat_messages_search_trgm_idx'::regclass"));
        }

        await origin.RestartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = target });
        for (var waited = 0; await TableExistsAsync(target, DeferredIndexes.Table); waited++)
        {
            Assert.True(waited < 600, "the Hearth on the copy never finished building the search indexes");
            await Task.Delay(100);
        }
        Assert.Equal(fresh, await IndexDefinitionsAsync(target, search));
        await using (var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString))
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_index WHERE NOT indisvalid"));
        }
        Assert.Equal(found, await ChatDocs.TitlesAsync(await origin.Client(data.Ada.Token).GetAsync("/api/v1/chats/search?text=brown%20fox")));
    }

    [Fact]
    public async Task AnInterruptedRunGoesOnFromTheLastTableCopied()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var data = await SeedAsync(origin);
        var before = await ViewAsync(origin, data);
        var target = await PostgresServer.CreateDatabaseAsync();

        // Stopped after the twelfth table (chat_messages), as a Ctrl+C or a lost connection would.
        using var stop = new CancellationTokenSource();
        var copied = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MoveAsync(origin, target, stop.Token, _ =>
        {
            if (++copied == 12)
            {
                stop.Cancel();
            }
            return Task.CompletedTask;
        }));
        var marked = await MarkedTablesAsync(target);
        Assert.Equal(BackupTables.All.Take(12).Select(t => t.Name).Order(), marked.Order());

        var outcome = await MoveAsync(origin, target);
        Assert.True(outcome.Moved, string.Join("\n", outcome.Problems));
        Assert.Equal(BackupTables.All.Take(12).Select(t => t.Name), outcome.Kept);
        Assert.All(outcome.Counts, c => Assert.Equal(c.Source, c.Target));
        Assert.False(await ProgressTableExistsAsync(target));

        await origin.RestartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = target });
        Assert.True(JsonNode.DeepEquals(before, await ViewAsync(origin, data)));
    }

    [Fact]
    public async Task ASourceChangedSinceTheInterruptedRunIsCopiedAgainOnlyWhenForced()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var data = await SeedAsync(origin);
        var target = await PostgresServer.CreateDatabaseAsync();
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MoveAsync(origin, target, stop.Token, table =>
        {
            if (table.Name == "chats")
            {
                stop.Cancel();
            }
            return Task.CompletedTask;
        }));
        // The same number of rows, one of them changed: the fingerprint covers every value.
        await Json.ReadObjectAsync(await data.Ada.Client.PostAsJsonAsync($"/api/v1/chats/{data.ChatIds[0]}",
            new { chat = new { title = "Renamed after the copy began" } }), 200);
        Assert.StartsWith("table chats changed in the source since the interrupted run copied it (5 rows then, 5 now): add --force",
            Assert.Single((await MoveAsync(origin, target)).Problems));
        // Marks left by an earlier Hearth's way of fingerprinting cannot be compared.
        await using (var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString))
        {
            await connection.ExecuteAsync($"UPDATE {MoveProgressStore.Table} SET sha256 = 'old:' || sha256");
        }
        Assert.Equal("table users was copied by the migrate-db of an earlier Hearth, whose marks this one cannot compare: add --force to copy everything again.",
            Assert.Single((await MoveAsync(origin, target)).Problems));
        await ChatDocs.CreateIdAsync(data.Ada, "Written after the copy began");
        await using (var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString))
        {
            await connection.ExecuteAsync($"UPDATE {MoveProgressStore.Table} SET sha256 = substr(sha256, 5)");
        }

        var refused = await MoveAsync(origin, target);
        Assert.False(refused.Moved);
        Assert.StartsWith("table chats changed in the source since the interrupted run copied it (5 rows then, 6 now): add --force",
            Assert.Single(refused.Problems));

        var forced = await MoveAsync(origin, target, force: true);
        Assert.True(forced.Moved, string.Join("\n", forced.Problems));
        Assert.Empty(forced.Kept);
        Assert.Equal(6, forced.Counts.Single(c => c.Table == "chats").Target);
        // The first run left the search index of chats for later and dropped it; the forced run, finding none, still reports it.
        Assert.Equal(["chat_messages_search_trgm_idx", "chats_search_title_trgm_idx"], forced.Deferred);
    }

    [Theory]
    // SQLite keeps whatever a column is given; reading it as a number would quietly make it 0.
    [InlineData("pinned = 'yes'", "column pinned, holds yes where the target takes an integer")]
    [InlineData("pinned = 1.5", "column pinned, holds 1.5 where the target takes an integer")]
    // Bytes no Hearth writes, which PostgreSQL's text refuses.
    [InlineData("title = CAST(x'41ff42' AS TEXT)", "column title, holds text that is not valid UTF-8 or holds a NUL character, which PostgreSQL's text cannot store")]
    [InlineData("title = 'a' || char(0) || 'b'", "column title, holds text that is not valid UTF-8 or holds a NUL character, which PostgreSQL's text cannot store")]
    [InlineData("title = x'0102'", "column title, holds a blob of 2 bytes, which migrate-db does not carry")]
    public async Task AValueTheTargetCannotHoldStopsTheCopyNamingTheColumn(string change, string problem)
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        await SeedAsync(origin);
        await using (var sqlite = new SqliteConnection($"Data Source={Path.Combine(origin.DataDir, DatabaseUrl.DefaultFileName)};Pooling=False"))
        {
            await sqlite.ExecuteAsync($"UPDATE chats SET {change} WHERE rowid = (SELECT MIN(rowid) FROM chats)");
        }
        var target = await PostgresServer.CreateDatabaseAsync();

        var outcome = await MoveAsync(origin, target);
        Assert.False(outcome.Moved);
        Assert.Contains($"stopped: table chats, {problem}. " +
                        "Mend the source database (or restore it from a backup), then run migrate-db again.", Assert.Single(outcome.Problems));
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM chats"));
    }

    [Fact]
    public async Task ARowBreakingAForeignKeyFailsItsTableWhichKeepsItsKeysAndIndexes()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        await SeedAsync(origin);
        // A message whose chat is gone, as a SQLite database written without foreign keys may hold.
        await using (var sqlite = new SqliteConnection($"Data Source={Path.Combine(origin.DataDir, DatabaseUrl.DefaultFileName)};Pooling=False"))
        {
            await sqlite.ExecuteAsync("""
                PRAGMA foreign_keys = OFF;
                CREATE TEMP TABLE orphan AS SELECT * FROM chat_messages LIMIT 1;
                UPDATE orphan SET chat_id = 'no-such-chat';
                INSERT INTO chat_messages SELECT * FROM orphan;
                """);
        }
        var target = await PostgresServer.CreateDatabaseAsync();

        var outcome = await MoveAsync(origin, target);
        Assert.False(outcome.Moved);
        Assert.Contains("stopped: table chat_messages holds a row that breaks its key chat_messages_chat_id_fkey " +
                        "(FOREIGN KEY (chat_id) REFERENCES chats(id) ON DELETE CASCADE): the row it refers to is not in the source. " +
                        "Mend the source database (or restore it from a backup), then run migrate-db again.",
            Assert.Single(outcome.Problems));

        // The tables before it stay copied; chat_messages rolled back whole: no rows, its key and indexes as the schema made them.
        var before = BackupTables.All.TakeWhile(t => t.Name != "chat_messages").Select(t => t.Name);
        Assert.Equal(before.Order(), (await MarkedTablesAsync(target)).Order());
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM chat_messages"));
        Assert.Equal(["chat_messages_chat_id_fkey"], await connection.QueryAsync<string>(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'chat_messages'::regclass AND contype = 'f' AND convalidated"));
        Assert.Equal(["chat_messages_order_idx", "chat_messages_parent_idx", "chat_messages_pkey", "chat_messages_search_trgm_idx"],
            await connection.QueryAsync<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'chat_messages' ORDER BY indexname"));
        var orphan = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO chat_messages (chat_id, id, seq, search_text, body, body_hash) VALUES ('no-such-chat', 'm', 0, '', '{}', '')"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, orphan.SqlState);
    }

    [Fact]
    public async Task ATargetHoldingDataIsRefusedAndLeftAsItWas()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        await origin.SignUpAsync("Ada");
        await using var other = await HearthApp.StartAsync(DatabaseKind.Postgres);
        await other.SignUpAsync("Zed");

        var outcome = await MoveAsync(origin, other.DatabaseUrl!);
        Assert.False(outcome.Moved);
        var problem = Assert.Single(outcome.Problems);
        Assert.Matches(@"^the database \(PostgreSQL [^)]+\) holds rows in users, ", problem);
        Assert.EndsWith(": migrate into an empty database, or add --force to replace everything in it.", problem);
        Assert.Empty(outcome.Counts);
        Assert.False(await ProgressTableExistsAsync(other.DatabaseUrl!));
        // Zed is still there, and nothing of Ada's arrived.
        await other.SignInAsync("zed@example.com", "correct horse");
        Assert.Equal(400, (int)(await other.Client().PostAsJsonAsync("/api/v1/auths/signin",
            new { email = "ada@example.com", password = "correct horse" })).StatusCode);

        var sqlite = await MoveAsync(origin, "sqlite:///" + Path.Combine(origin.DataDir, "other.db"));
        Assert.Equal("--to must be a PostgreSQL database: postgresql://user:password@host:5432/database.", Assert.Single(sqlite.Problems));
    }

    [Fact]
    public async Task MigrateDbRunsFromTheCommandLineBesideTheServingHearth()
    {
        await using var origin = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        await SeedAsync(origin);
        var target = await PostgresServer.CreateDatabaseAsync();

        var (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = origin.DataDir, ["DATABASE_URL"] = null },
            "migrate-db", "--to", target);
        Assert.True(exitCode == 0, output + errors);
        Assert.Matches(@"\n  chat_messages +(\d+) +\1\n", output);
        Assert.Contains($"Copied ", output);
        Assert.Contains($"tables into PostgreSQL ", output);
        Assert.Contains("Artifact files stay in ", output);
        Assert.Contains("copied", errors);

        (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = origin.DataDir, ["DATABASE_URL"] = null },
            "migrate-db", "--to", "mysql://somewhere/db");
        Assert.Equal(2, exitCode);
        Assert.Contains("--to must be a PostgreSQL database", errors);

        (exitCode, _, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = origin.DataDir, ["DATABASE_URL"] = null },
            "migrate-db", "--to", target, "--files-to", "ftp://somewhere/files");
        Assert.Equal(2, exitCode);
        Assert.Contains("--files-to ftp://somewhere/files is neither a directory nor s3://BUCKET.", errors);
    }

    private static Task<MoveOutcome> MoveAsync(HearthApp origin, string target, CancellationToken cancellationToken = default,
        Func<BackupTable, Task>? tableCopied = null) =>
        MoveAsync(origin, target, false, cancellationToken, tableCopied);

    private static Task<MoveOutcome> MoveAsync(HearthApp origin, string target, bool force, CancellationToken cancellationToken = default,
        Func<BackupTable, Task>? tableCopied = null) =>
        origin.Services.GetRequiredService<DatabaseMover>().MoveAsync(DatabaseUrl.Parse(target, origin.DataDir), force, null, cancellationToken, tableCopied);

    /// <summary>The backup tests' sample, with a shared chat besides.</summary>
    private static async Task<SampleData> SeedAsync(HearthApp app)
    {
        var data = await BackupSamples.SeedAsync(app);
        await Json.ReadObjectAsync(await data.Ada.Client.PostAsync($"/api/v1/chats/{data.ChatIds[0]}/share", null), 200);
        return data;
    }

    /// <summary>The backup tests' view, the chats as raw bytes, and the share.</summary>
    private static async Task<JsonObject> ViewAsync(HearthApp app, SampleData data)
    {
        var view = await BackupSamples.ViewAsync(app, data);
        var ada = app.Client(data.Ada.Token);
        foreach (var id in data.ChatIds)
        {
            var owner = id == data.ChatIds[^1] ? app.Client(data.Bob.Token) : ada;
            view[$"raw {id}"] = await owner.GetStringAsync($"/api/v1/chats/{id}");
        }
        var shareId = view[$"chat {data.ChatIds[0]}"]!["share_id"]!.GetValue<string>();
        view["shared"] = await ada.GetStringAsync($"/api/v1/chats/share/{shareId}");
        return view;
    }

    private static async Task<List<string>> MarkedTablesAsync(string target)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString);
        return (await connection.QueryAsync<string>($"SELECT table_name FROM {MoveProgressStore.Table}")).ToList();
    }

    private static Task<bool> ProgressTableExistsAsync(string target) => TableExistsAsync(target, MoveProgressStore.Table);

    private static async Task<bool> TableExistsAsync(string target, string table)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(target, ".").ConnectionString);
        return await connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });
    }

    /// <summary>The valid indexes of those <paramref name="names"/> that the database has, by name, with their definitions.</summary>
    private static async Task<Dictionary<string, string>> IndexDefinitionsAsync(string database, string[] names)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(database, ".").ConnectionString);
        return (await connection.QueryAsync<(string Name, string Definition)>(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_index x ON x.indexrelid = format('%I', i.indexname)::regclass
            WHERE i.indexname = ANY(@names) AND x.indisvalid
            """, new { names })).ToDictionary(i => i.Name, i => i.Definition);
    }
}
