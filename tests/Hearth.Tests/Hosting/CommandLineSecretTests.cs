using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// A secret given on the command line is readable by every local user (and by code in a run that sees the host's
/// /proc) in /proc/PID/cmdline: Hearth, started as a real process, hides it once read, and says so.
/// </summary>
public sealed class CommandLineSecretTests
{
    [Fact]
    public async Task ASigningKeyGivenAsAnArgumentIsHiddenFromTheProcessTable()
    {
        var secret = $"argv-secret-{Guid.NewGuid():N}";
        var data = Directory.CreateTempSubdirectory("hearth-argv-").FullName;
        try
        {
            await using var hearth = HearthProcess.Start(new Dictionary<string, string?>(),
                $"--WEBUI_SECRET_KEY={secret}", $"--DATA_DIR={data}", "--urls=http://127.0.0.1:0");
            // The warning is logged just after the listening line.
            await hearth.WaitForOutputAsync("WEBUI_SECRET_KEY came on the command line");

            var commandLine = (await File.ReadAllTextAsync($"/proc/{hearth.Id}/cmdline")).Split('\0');
            Assert.DoesNotContain(commandLine, argument => argument.Contains(secret, StringComparison.Ordinal));
            Assert.Contains($"--WEBUI_SECRET_KEY={new string('*', secret.Length)}", commandLine);
            Assert.Contains($"--DATA_DIR={data}", commandLine);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
