using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hearth.Benchmarks;

/// <summary>The real Hearth server (Release build, real Kestrel port) on a SQLite file in its own folder.</summary>
internal sealed class HearthServer : WebApplicationFactory<Program>
{
    private readonly string _dataDir;

    private readonly IReadOnlyDictionary<string, string> _settings;

    private HearthServer(string dataDir, IReadOnlyDictionary<string, string> settings)
    {
        _dataDir = dataDir;
        _settings = settings;
    }

    public Uri Address { get; private set; } = null!;
    public string DataDir => _dataDir;

    public static HearthServer Start(string dataDir, IReadOnlyDictionary<string, string>? settings = null)
    {
        // Hearth serves no files from its content root; point it at the benchmark's own folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HEARTH_SERVER", AppContext.BaseDirectory);
        var server = new HearthServer(dataDir, settings ?? new Dictionary<string, string>());
        server.UseKestrel(0);
        server.StartServer();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As deployed: the test host's default, Development, adds the developer exception page to every request.
        builder.UseEnvironment("Production");
        builder.UseSetting("DATA_DIR", _dataDir);
        builder.UseSetting("ENABLE_SIGNUP", "true");
        // Each benchmark signs up its own user; only the first would be admin, the others must not be pending.
        builder.UseSetting("DEFAULT_USER_ROLE", "user");
        // Whichever benchmark signs up first is the admin; the others' users may chat with the benchmark model
        // without an admin publishing it (Hearth still reads the workspace entries and grants on each completion).
        builder.UseSetting("BYPASS_MODEL_ACCESS_CONTROL", "true");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    /// <summary>A new user with an API key (<see cref="BenchUser.CreateAsync"/>).</summary>
    public Task<BenchUser> CreateUserAsync(HttpClient client, string name) => BenchUser.CreateAsync(client, Address, name);
}
