using Hearth.Tests.Infrastructure;
using Npgsql;

namespace Hearth.Tests.Hosting;

/// <summary>
/// With its database gone, Hearth's /health/db says so (503) while /health, which touches no database, still
/// answers: a PostgreSQL database dropped under a running Hearth.
/// </summary>
public sealed class DatabaseHealthTests
{
    [Fact]
    public async Task HealthDbAnswers503WhenTheDatabaseIsGoneAndHealthStillAnswers()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Postgres);
        Assert.Equal(200, (int)(await app.Client().GetAsync("/health/db")).StatusCode);

        var url = new Uri(app.DatabaseUrl!);
        await using (var admin = new NpgsqlConnection($"Host={url.Host};Port={url.Port};Username=postgres;Database=postgres;Pooling=false"))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE {url.AbsolutePath.TrimStart('/')} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var db = await app.Client().GetAsync("/health/db");
        Assert.Equal(503, (int)db.StatusCode);
        Assert.Equal("""{"status":false,"detail":"The database does not answer."}""", await db.Content.ReadAsStringAsync());
        var health = await app.Client().GetAsync("/health");
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal("""{"status":true}""", await health.Content.ReadAsStringAsync());
    }
}
