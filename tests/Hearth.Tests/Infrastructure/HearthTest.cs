namespace Hearth.Tests.Infrastructure;

/// <summary>
/// Base of the HTTP tests: each concrete class runs the same tests on one database kind, and each test
/// starts its own app (fresh database, own data folder) with <see cref="StartAsync"/>.
/// </summary>
public abstract class HearthTest(DatabaseKind kind)
{
    protected DatabaseKind Kind { get; } = kind;

    protected Task<HearthApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null) =>
        HearthApp.StartAsync(Kind, settings, clock);
}
