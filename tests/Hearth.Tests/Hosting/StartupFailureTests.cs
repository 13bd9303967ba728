using System.Net;
using System.Net.Sockets;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// Start-up failures of the real program: one or two lines on standard error that say what to fix, naming the
/// setting, and exit status 1; never a stack trace and an abort (134).
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hearth-start-").FullName;

    private static async Task<string> FailsAsync(Dictionary<string, string?> settings)
    {
        // A free port unless the test names one: the port is checked first, and 8080 may be another program's.
        settings.TryAdd("PORT", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (exitCode, output, errors) = await HearthProcess.RunAsync(settings);
        Assert.True(exitCode == 1, $"exit {exitCode}: {output}{errors}");
        Assert.DoesNotContain("   at ", output + errors);
        Assert.DoesNotContain("Unhandled exception", errors);
        var lines = errors.Trim().Split('\n');
        Assert.InRange(lines.Length, 1, 2);
        Assert.StartsWith("Hearth cannot start: ", lines[0]);
        return errors.Trim();
    }

    [Theory]
    [InlineData("WEBUI_AUTH", "maybe", "true or false")]
    [InlineData("PORT", "99999", "a whole number from 1 to 65535")]
    [InlineData("CORS_ALLOW_ORIGIN", "app.example.com", "origins such as https://app.example.com")]
    public async Task ABadSettingIsNamedWithItsValueAndWhatIsAllowed(string name, string value, string allowed)
    {
        var message = await FailsAsync(new() { ["DATA_DIR"] = _data, [name] = value });
        Assert.Contains($"Setting {name} has the value '{value}'", message);
        Assert.Contains(allowed, message);
    }

    [Fact]
    public async Task MissingS3SettingsAreNamed()
    {
        Assert.Contains("S3_BUCKET_NAME", await FailsAsync(new() { ["DATA_DIR"] = _data, ["STORAGE_PROVIDER"] = "s3" }));
        Assert.Contains("S3_SECRET_ACCESS_KEY is missing", await FailsAsync(new()
        {
            ["DATA_DIR"] = _data, ["STORAGE_PROVIDER"] = "s3", ["S3_BUCKET_NAME"] = "files", ["S3_ACCESS_KEY_ID"] = "key",
        }));
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsNamedWithItsPasswordHidden()
    {
        // Port 1: nothing listens there, while a port found free can be taken by another test's server before Hearth tries it.
        const int port = 1;
        var message = await FailsAsync(new() { ["DATA_DIR"] = _data, ["DATABASE_URL"] = $"postgresql://hearth:s3cret-word@127.0.0.1:{port}/hearth" });
        Assert.Contains($"DATABASE_URL=postgresql://hearth:****@127.0.0.1:{port}/hearth", message);
        Assert.Contains("Connection refused", message);
        Assert.DoesNotContain("s3cret-word", message);
    }

    [Fact]
    public async Task ARefusingDatabaseGivesItsOwnAnswer()
    {
        var url = await PostgresServer.CreateDatabaseAsync();
        var missing = url[..(url.LastIndexOf('/') + 1)] + "no_such_database";
        var message = await FailsAsync(new() { ["DATA_DIR"] = _data, ["DATABASE_URL"] = missing.Replace("postgres@", "postgres:pw@") });
        Assert.Contains("PostgreSQL answered: database \"no_such_database\" does not exist", message);
        Assert.Contains("DATABASE_URL=postgresql://postgres:****@", message);
    }

    [Fact]
    public async Task ADataFolderThatIsAFileOrUnreachableIsNamed()
    {
        var file = Path.Combine(_data, "a-file");
        await File.WriteAllTextAsync(file, "");
        Assert.Contains($"DATA_DIR {file} is a file", await FailsAsync(new() { ["DATA_DIR"] = file }));

        var nowhere = Path.Combine(_data, "unmounted", "hearth");
        Assert.Contains($"DATA_DIR {nowhere} does not exist, nor does the folder it would be in", await FailsAsync(new() { ["DATA_DIR"] = nowhere }));
        Assert.False(Directory.Exists(nowhere));

        // /proc takes no new files, whoever asks (these tests may run as root, whom file modes do not stop).
        Assert.Contains("DATA_DIR /proc cannot be written to by Hearth", await FailsAsync(new() { ["DATA_DIR"] = "/proc" }));
    }

    [Fact]
    public async Task AMissingDataFolderIsCreatedWhenItsParentExists()
    {
        var fresh = Path.Combine(_data, "fresh");
        await using var hearth = HearthProcess.Start(new() { ["DATA_DIR"] = fresh, ["PORT"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await hearth.WaitForOutputAsync("is running");
        Assert.True(File.Exists(Path.Combine(fresh, "hearth.db")));
    }

    [Fact]
    public async Task APortInUseStopsHearthBeforeItTouchesTheDatabase()
    {
        using var other = new TcpListener(IPAddress.Any, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var message = await FailsAsync(new() { ["DATA_DIR"] = _data, ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains($"port {port} on 0.0.0.0 (settings PORT and HOST) is in use by another program", message);
        Assert.False(File.Exists(Path.Combine(_data, "hearth.db")));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
