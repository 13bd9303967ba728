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
        var expected = MigrationRunner.Embedded(provider).Select(m => m.Version).ToList();
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
        var error = await Assert.ThrowsAnyAsync<Exception>(app.RestartAsync);
        Assert.Contains("newer Hearth", error.ToString());

        // The refused database still holds its user and its future version.
        await using var database = new Database(DatabaseUrl.Parse(app.DatabaseUrl, app.DataDir));
        await using var reopened = await database.OpenAsync(default);
        Assert.Equal(1, await reopened.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE id = @Id", new { admin.Id }));
        Assert.Equal(1, await reopened.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = 9999"));
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
