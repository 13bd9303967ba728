namespace Hearth.Tests.Infrastructure;

/// <summary>
/// One server, with its first user Ada (an admin) and a user Eve, shared by every test of a class whose tests change nothing
/// (bad input is refused and writes nothing): starting a server per test was most of those classes' time. A
/// test that writes after all breaks the "writes nothing" checks of the others, so it still fails.
/// Tests that write share it too when each makes its own users with <see cref="NewUserAsync"/> and asserts only on
/// their data; a test that needs settings, a clock, a restart, the first-user rule or counts over the whole server
/// starts its own.
/// </summary>
public abstract class SharedApp(DatabaseKind kind, IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    public HearthApp App { get; private set; } = null!;
    public TestUser Ada { get; private set; } = null!;
    public TestUser Eve { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await HearthApp.StartAsync(kind, settings);
        Ada = await App.SignUpAsync("Ada");
        Eve = await App.AddUserAsync(Ada, "Eve");
    }

    /// <summary>A user Ada adds, named <paramref name="name"/> with a suffix no other test shares.</summary>
    public Task<TestUser> NewUserAsync(string name, string role = "user") =>
        App.AddUserAsync(Ada, $"{name}-{Guid.NewGuid():N}", role);

    public async Task DisposeAsync() => await App.DisposeAsync();

    public sealed class OnSqlite() : SharedApp(DatabaseKind.Sqlite);
    public sealed class OnPostgres() : SharedApp(DatabaseKind.Postgres);
}
