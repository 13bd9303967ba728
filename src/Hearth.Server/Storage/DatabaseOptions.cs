namespace Hearth.Server.Storage;

/// <summary><c>DATABASE_URL</c>: unset for a SQLite file in <c>DATA_DIR</c>, or <c>postgresql://user:pass@host:port/db</c>.</summary>
internal sealed class DatabaseOptions
{
    public string? Url { get; set; }
}

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
