using System.Diagnostics;

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
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Hearth.Server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = data,
        };
        foreach (var argument in new[] { $"--WEBUI_SECRET_KEY={secret}", $"--DATA_DIR={data}", "--urls=http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }
        using var hearth = Process.Start(start)!;
        try
        {
            var log = new System.Text.StringBuilder();
            var listening = new TaskCompletionSource();
            hearth.OutputDataReceived += (_, line) =>
            {
                lock (log)
                {
                    log.AppendLine(line.Data);
                }
                if (line.Data?.Contains("listening on", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult();
                }
            };
            hearth.BeginOutputReadLine();
            hearth.BeginErrorReadLine();
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            // The warning is logged just after the listening line.
            for (var waited = Stopwatch.StartNew(); !Logged(log, "WEBUI_SECRET_KEY came on the command line"); await Task.Delay(50))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"no warning in: {log}");
            }

            var commandLine = (await File.ReadAllTextAsync($"/proc/{hearth.Id}/cmdline")).Split('\0');
            Assert.DoesNotContain(commandLine, argument => argument.Contains(secret, StringComparison.Ordinal));
            Assert.Contains($"--WEBUI_SECRET_KEY={new string('*', secret.Length)}", commandLine);
            Assert.Contains($"--DATA_DIR={data}", commandLine);
        }
        finally
        {
            hearth.Kill(entireProcessTree: true);
            await hearth.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static bool Logged(System.Text.StringBuilder log, string text)
    {
        lock (log)
        {
            return log.ToString().Contains(text, StringComparison.Ordinal);
        }
    }
}
