using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hearth.Server.Storage;

/// <summary>
/// Turns Open WebUI's <c>DATABASE_URL</c> forms into a provider and an ADO.NET connection string. <see cref="Description"/>
/// names the database for logs; <see cref="Setting"/> names where it was chosen, the password hidden, for problems to fix.
/// </summary>
internal sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString, string Description, string Setting)
{
    public const string DefaultFileName = "hearth.db";

    public static DatabaseUrl Parse(string? url, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            var file = Path.GetFullPath(Path.Combine(dataDir, DefaultFileName));
            return Sqlite(file, $"the SQLite file {file} in DATA_DIR (DATABASE_URL is not set)");
        }
        if (url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite(Path.GetFullPath(url["sqlite:///".Length..]), $"DATABASE_URL={url}");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new Hosting.StartupProblem(
                "Setting DATABASE_URL must be empty (SQLite in DATA_DIR), sqlite:///path/to/file.db, or postgresql://user:password@host:port/database.");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
            // Statements Hearth runs again and again (a reply's saves, the access checks) are parsed and planned once per
            // connection, and a connection taken from the pool is not reset first: Hearth leaves no session state behind
            // (its session lock unlocks, or drops its connection; LISTEN has a connection of its own), and that reset was a
            // seventh of every short transaction's statements while hundreds of replies were saved at once.
            MaxAutoPrepare = 128,
            NoResetOnClose = true,
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
            $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}", $"DATABASE_URL={WithoutPassword(uri)}");
    }

    private static string WithoutPassword(Uri uri)
    {
        var credentials = uri.UserInfo.Split(':', 2);
        return credentials.Length < 2 ? uri.OriginalString : uri.OriginalString.Replace(uri.UserInfo, credentials[0] + ":****", StringComparison.Ordinal);
    }

    private static DatabaseUrl Sqlite(string path, string setting)
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
        return new DatabaseUrl(DatabaseProvider.Sqlite, builder.ConnectionString, $"SQLite {full}", setting);
    }
}
