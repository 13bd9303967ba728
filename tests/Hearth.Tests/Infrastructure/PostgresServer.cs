using System.Diagnostics;
using Npgsql;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run, started from the machine's PostgreSQL binaries
/// (the README's test command installs them). Each test gets its own database in it.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <returns>A <c>postgresql://</c> URL of a fresh, empty database.</returns>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await Server.Value;
        var name = "hearth_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin);
        return $"postgresql://postgres@{builder.Host}:{builder.Port}/{name}";
    }

    private static async Task<string> StartAsync()
    {
        var bin = FindBinaries();
        RemoveLeftovers();
        var root = Directory.CreateTempSubdirectory("hearth-pg-").FullName;
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
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunAs(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {data} -m immediate -w stop").GetAwaiter().GetResult();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        };
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
