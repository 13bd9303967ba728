using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>A bare minimal-API app (no auth, no middleware) whose routes run hand-written SQL on a given SQLite file.</summary>
internal sealed class BareSqlApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareSqlApp(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First());

    public static string ConnectionString(string file) => new SqliteConnectionStringBuilder
    {
        DataSource = file, ForeignKeys = true, Pooling = true, DefaultTimeout = 30,
    }.ConnectionString;

    public static async Task<BareSqlApp> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new BareSqlApp(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
