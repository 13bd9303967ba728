using System.Diagnostics;
using Npgsql;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run, started from the machine's PostgreSQL binaries
/// (the README's test command installs them). Each test gets its own database in it. The README's test command runs
/// both test projects at once and names one folder for them in <c>HEARTH_TEST_PG_DIR</c>: the first process that needs
/// the cluster starts it there, the other finds it, and the command stops it once both are done (a second cluster
/// started halfway through the run, while the machine was busiest, once held a browser test up for a minute).
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <returns>A <c>postgresql://</c> URL of a fresh database: empty, or a copy of the database <paramref name="template"/> names.</returns>
    /// <param name="template">A database of this cluster that no session is connected to (PostgreSQL refuses to copy one that is in use).</param>
    public static async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var admin = await Server.Value;
        var name = "hearth_" + Guid.NewGuid().ToString("N");
        // FILE_COPY copies the template's files as they are: for databases this small, cheaper than PostgreSQL 15's
        // default of copying them page by page through the write-ahead log.
        var copy = template is null ? "" : $" TEMPLATE {template}";
        await ExecuteAsync(admin, $"CREATE DATABASE {name}{copy} STRATEGY FILE_COPY");
        var builder = new NpgsqlConnectionStringBuilder(admin);
        return $"postgresql://postgres@{builder.Host}:{builder.Port}/{name}";
    }

    /// <summary>The name of the database a <c>postgresql://</c> URL of <see cref="CreateDatabaseAsync"/> points at.</summary>
    public static string NameOf(string url) => new Uri(url).AbsolutePath.TrimStart('/');

    /// <summary>How many sessions are connected to the database <paramref name="name"/>.</summary>
    public static async Task<long> SessionsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(await Server.Value);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        var shared = Environment.GetEnvironmentVariable("HEARTH_TEST_PG_DIR");
        if (string.IsNullOrEmpty(shared))
        {
            return await StartClusterAsync(Directory.CreateTempSubdirectory("hearth-pg-").FullName, stopAtExit: true);
        }
        await using var held = await LockAsync(Path.Combine(shared, "lock"));
        var address = Path.Combine(shared, "address");
        if (File.Exists(address))
        {
            return await File.ReadAllTextAsync(address);
        }
        var connection = await StartClusterAsync(shared, stopAtExit: false);
        await File.WriteAllTextAsync(address, connection);
        return connection;
    }

    /// <summary>An exclusive lock on <paramref name="path"/> across processes (.NET takes <c>FileShare.None</c> as a <c>flock</c>).</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        for (var waited = 0; ; waited += 100)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited < 120_000)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> StartClusterAsync(string root, bool stopAtExit)
    {
        var bin = FindBinaries();
        RemoveLeftovers();
        var data = Path.Combine(root, "data");
        var port = Ports.Free();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            await Run("chown", $"postgres:postgres {root}");
        }
        await RunAs(asRoot, Path.Combine(bin, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --no-sync");
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=400";
        await RunAs(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {data} -l {root}/log -o \"{options}\" -w start");
        if (stopAtExit)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                RunAs(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {data} -m immediate -w stop").GetAwaiter().GetResult();
                try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            };
        }
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>
    /// Clusters of earlier runs whose server is gone: the test host is often killed rather than let exit, so the
    /// exit hook never removes them (gigabytes each after a benchmark). A folder younger than ten minutes may
    /// belong to a run that is starting now, so it stays.
    /// </summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories("hearth-pg-*"))
        {
            var pidFile = Path.Combine(folder.FullName, "data", "postmaster.pid");
            var serverRuns = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                && Directory.Exists($"/proc/{pid}");
            if (!serverRuns && folder.LastWriteTimeUtc < DateTime.UtcNow.AddMinutes(-10))
            {
                try
                {
                    folder.Delete(recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("HEARTH_TEST_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d).ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed, so the PostgreSQL tests cannot start a server. Run the README's test command " +
            "(./test.sh), which installs it with apt-get, or set HEARTH_TEST_PG_BIN to a folder holding initdb and pg_ctl.");
    }

    private static Task RunAs(bool asRoot, string program, string arguments) =>
        asRoot ? Run("runuser", $"-u postgres -- {program} {arguments}") : Run(program, arguments);

    private static async Task Run(string program, string arguments)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"{program} {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }
}
