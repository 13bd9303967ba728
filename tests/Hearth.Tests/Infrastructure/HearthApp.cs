using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// One Hearth server on a real Kestrel port with its own fresh database (a SQLite file in its own data
/// folder, or a new PostgreSQL database) and helpers that sign users in.
/// </summary>
public sealed class HearthApp : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private WebApplicationFactory<Program> _factory;

    /// <summary>PBKDF2 at a thousand rounds: the suite signs thousands of people up and tests no hash's strength.</summary>
    static HearthApp() => Hearth.Server.Auth.Secrets.UseRoundsForTests(1000);

    private HearthApp(Dictionary<string, string?> settings, TimeProvider? clock)
    {
        _settings = settings;
        _clock = clock;
        _factory = Start();
    }

    public string DataDir => _settings["DATA_DIR"]!;
    public string? DatabaseUrl => _settings["DATABASE_URL"];
    public IServiceProvider Services => _factory.Services;
    public Uri BaseAddress { get; private set; } = null!;

    /// <param name="databaseUrl">
    /// A database to share with another app (e.g. <see cref="DatabaseUrl"/> of a running one, to act as a second
    /// Hearth process; give both the same <c>WEBUI_SECRET_KEY</c> so tokens work on either). Null for a fresh one.
    /// </param>
    public static async Task<HearthApp> StartAsync(DatabaseKind kind, IReadOnlyDictionary<string, string?>? settings = null,
        TimeProvider? clock = null, string? databaseUrl = null)
    {
        var merged = new Dictionary<string, string?>
        {
            ["DATA_DIR"] = Directory.CreateTempSubdirectory("hearth-test-").FullName,
            ["DATABASE_URL"] = databaseUrl ?? (kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync(await MigratedTemplate.Value) : null),
            // The test server listens on a port of its own choosing; without this, the start-up check would try
            // PORT's default (8080) and fail whenever another program (a benchmark's Hearth) holds it.
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }
        return await WithRetriesAsync(() => new HearthApp(merged, clock));
    }

    /// <summary>
    /// A PostgreSQL database that one Hearth start has migrated and that no one uses since: each test's database is a copy
    /// of it, which costs a file copy where running every migration again cost a third of a PostgreSQL test's start. It
    /// holds what any start leaves (the schema and its ledger), so a copy is what a fresh database is after its first start.
    /// The migrations themselves are tested on empty databases (<c>MigrationTests</c>, <c>FirstRunTests</c>).
    /// </summary>
    private static readonly Lazy<Task<string>> MigratedTemplate = new(() => Task.Run(async () =>
    {
        var url = await PostgresServer.CreateDatabaseAsync();
        await (await StartAsync(DatabaseKind.Postgres, databaseUrl: url)).DisposeAsync();
        var name = PostgresServer.NameOf(url);
        // The stopped server's pooled connections close as its data source is disposed; the copy waits for the last.
        for (var waited = 0; await PostgresServer.SessionsAsync(name) > 0; waited += 50)
        {
            if (waited > 30_000)
            {
                throw new InvalidOperationException($"Sessions stayed connected to {name} 30 s after its Hearth stopped: it cannot be a template.");
            }
            await Task.Delay(50);
        }
        return name;
    }));

    /// <summary>Waits until this process hears what other processes on its database send (PostgreSQL; at once on SQLite).</summary>
    public async Task ListensAsync() =>
        Assert.True(await Services.GetRequiredService<Hearth.Server.Storage.PostgresNotifications>().WaitUntilListeningAsync(TimeSpan.FromSeconds(30), default),
            "The PostgreSQL listener did not start listening within 30 s.");

    /// <summary>Stops the server and starts a new one on the same data folder and database.</summary>
    /// <param name="changes">Settings to change for the new start (the rest stay).</param>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?>? changes = null)
    {
        await _factory.DisposeAsync();
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        _factory = await WithRetriesAsync(Start);
    }

    /// <summary>
    /// When start-up fails, WebApplicationFactory may read the address of the host it has just disposed and
    /// report that instead of the start-up error. Starting again surfaces the real error (or starts). It may also,
    /// rarely, find the server started before it sets the port ("Addresses cannot be modified after the server
    /// has started"): a new factory starts cleanly.
    /// </summary>
    private static async Task<T> WithRetriesAsync<T>(Func<T> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Task.Run(start);
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("after the server has started", StringComparison.Ordinal))
            {
            }
        }
    }

    private WebApplicationFactory<Program> Start()
    {
        var factory = new Factory(_settings, _clock);
        factory.UseKestrel(0);
        try
        {
            factory.StartServer();
        }
        catch
        {
            // A host that failed to start is stopped before another is tried.
            factory.Dispose();
            throw;
        }
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return factory;
    }

    /// <summary>
    /// A client as a browser is to Hearth's pages: the session cookie when <paramref name="token"/> is given, redirects
    /// answered rather than followed, and no cookie jar (so a page's Set-Cookie changes nothing the test did not ask for).
    /// </summary>
    public HttpClient BrowserClient(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"token={token}");
        }
        return client;
    }

    public HttpClient Client(string? token = null) => DocumentedAnswers.Client(BaseAddress, token);

    public async Task<TestUser> SignUpAsync(string name, string? email = null, string password = "correct horse")
    {
        email ??= $"{name.ToLowerInvariant()}@example.com";
        var response = await Client().PostAsJsonAsync("/api/v1/auths/signup", new { name, email, password });
        var body = await Json.ReadObjectAsync(response, 200);
        return User(body, password);
    }

    /// <summary>An admin adds a user with a role, who then signs in for a token of their own.</summary>
    public async Task<TestUser> AddUserAsync(TestUser admin, string name, string role = "user", string password = "correct horse")
    {
        var email = $"{name.ToLowerInvariant()}@example.com";
        var added = await admin.Client.PostAsJsonAsync("/api/v1/auths/add", new { name, email, password, role });
        await Json.ReadObjectAsync(added, 200);
        return await SignInAsync(email, password);
    }

    public async Task<TestUser> SignInAsync(string email, string password)
    {
        var response = await Client().PostAsJsonAsync("/api/v1/auths/signin", new { email, password });
        return User(await Json.ReadObjectAsync(response, 200), password);
    }

    private TestUser User(JsonObject body, string password)
    {
        var token = body["token"]!.GetValue<string>();
        return new TestUser(body["id"]!.GetValue<string>(), body["email"]!.GetValue<string>(), password,
            body["role"]!.GetValue<string>(), token, Client(token));
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection: the folder is under /tmp and harmless.
        }
    }

    private sealed class Factory(Dictionary<string, string?> settings, TimeProvider? clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, DocumentedAnswers.NameTheRoute>());
            if (clock is not null)
            {
                builder.ConfigureServices(services => services.AddSingleton(clock));
            }
        }
    }
}
