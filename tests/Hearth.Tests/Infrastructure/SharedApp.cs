namespace Hearth.Tests.Infrastructure;

/// <summary>
/// One server, with its first user Ada (an admin) and a user Eve, shared by every test of a class whose tests change nothing
/// (bad input is refused and writes nothing): starting a server per test was most of those classes' time. A
/// test that writes after all breaks the "writes nothing" checks of the others, so it still fails.
/// </summary>
public abstract class SharedApp(DatabaseKind kind) : IAsyncLifetime
{
    public HearthApp App { get; private set; } = null!;
    public TestUser Ada { get; private set; } = null!;
    public TestUser Eve { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await HearthApp.StartAsync(kind);
        Ada = await App.SignUpAsync("Ada");
        Eve = await App.AddUserAsync(Ada, "Eve");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public sealed class OnSqlite() : SharedApp(DatabaseKind.Sqlite);
    public sealed class OnPostgres() : SharedApp(DatabaseKind.Postgres);
}
