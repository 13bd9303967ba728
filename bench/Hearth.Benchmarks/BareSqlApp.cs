using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>
/// A bare minimal-API app (no middleware) whose routes run hand-written SQL on a given SQLite file. Routes
/// mapped on the first group require an API key (<see cref="BareAuth"/>, looked up in that file); the second
/// group's need none.
/// </summary>
internal static class BareSqlApp
{
    /// <summary>Hearth's SQLite settings: pooled connections, foreign keys, busy retry (WAL is set on the file).</summary>
    public static string ConnectionString(string file) => new SqliteConnectionStringBuilder
    {
        DataSource = file, ForeignKeys = true, Pooling = true, DefaultTimeout = 30,
    }.ConnectionString;

    public static Uri AddressOf(WebApplication app) => new(app.Urls.First());

    public static async Task<WebApplication> StartAsync(string connectionString, Action<RouteGroupBuilder, WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(new BareAuth(connectionString).Group(app), app);
        await app.StartAsync();
        return app;
    }
}
