using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>Turns Open WebUI's <c>DATABASE_URL</c> forms into a provider and an ADO.NET connection string.</summary>
internal sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString, string Description)
{
    public const string DefaultFileName = "hearth.db";

    public static DatabaseUrl Parse(string? url, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return Sqlite(Path.Combine(dataDir, DefaultFileName));
        }
        if (url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite(Path.GetFullPath(url["sqlite:///".Length..]));
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new InvalidOperationException(
                "Setting DATABASE_URL must be empty (SQLite in DATA_DIR), sqlite:///path/to/file.db, or postgresql://user:password@host:port/database.");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        var credentials = uri.UserInfo.Split(':', 2);
        if (credentials[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(credentials[0]);
        }
        if (credentials.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(credentials[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase) && parts.Length == 2
                && Enum.TryParse<SslMode>(parts[1], ignoreCase: true, out var mode))
            {
                builder.SslMode = mode;
            }
        }
        return new DatabaseUrl(DatabaseProvider.Postgres, builder.ConnectionString,
            $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static DatabaseUrl Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until this many seconds have passed.
            DefaultTimeout = 30,
        };
        return new DatabaseUrl(DatabaseProvider.Sqlite, builder.ConnectionString, $"SQLite {full}");
    }
}
