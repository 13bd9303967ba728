namespace Hearth.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
