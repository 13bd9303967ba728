using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Completions;

/// <summary>
/// Runs at once cannot reach each other: under a root Hearth each is a user of its own, and where namespaces are
/// permitted each also has a root of its own, in which another run's directory does not exist at all.
/// </summary>
public sealed class PythonExecIsolationTests
{
    private static PythonExecTool Tool(bool namespaces) =>
        new(Options.Create(new PythonExecOptions { Timeout = TimeSpan.FromSeconds(30), Namespaces = namespaces }), NullLogger<PythonExecTool>.Instance);

    [OwnRunUserFact]
    public Task WithoutNamespacesARunCannotListReadOrWriteInAnotherRunsDirectory() => RunsAreApartAsync(namespaces: false);

    [OwnRunUserFact]
    public Task InTheirOwnNamespacesARunCannotListReadOrWriteInAnotherRunsDirectory() =>
        PythonSandbox.CanIsolate ? RunsAreApartAsync(namespaces: true) : Task.CompletedTask;

    private static async Task RunsAreApartAsync(bool namespaces)
    {
        // The first run leaves a file and waits in a process the test finds by a mark in its command line; the test
        // reaches the run's directory through that process's root (/proc/PID/root) to tell it to end.
        var mark = $"hearth-first-{Guid.NewGuid():N}";
        var first = $$"""
            import os, subprocess, sys
            open('secret.txt', 'w').write('first')
            print('UID', os.stat('secret.txt').st_uid)
            subprocess.run([sys.executable, '-c', "import os, time\nwhile not os.path.exists('go'):\n    time.sleep(0.05)", '{{mark}}'])
            """;
        var running = Tool(namespaces).RunAsync(new JsonObject { ["code"] = first }, CancellationToken.None);
        var go = (string?)null;
        try
        {
            var waiting = 0;
            for (var waited = Stopwatch.StartNew(); waiting == 0; await Task.Delay(50))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the first run did not start");
                waiting = RunMarks.Marked(mark).FirstOrDefault();
            }
            var other = RunMarks.HomeOf(waiting);
            go = $"/proc/{waiting}/root{other}/go";
            var second = $$"""
                import os
                other = {{Python(other)}}
                attempts = {
                    'LIST': lambda: os.listdir(other),
                    'READ': lambda: open(os.path.join(other, 'secret.txt')).read(),
                    'PLANT': lambda: open(os.path.join(other, 'planted.txt'), 'w').write('second'),
                }
                for name, attempt in attempts.items():
                    try:
                        attempt()
                        print(name, 'ALLOWED')
                    except (PermissionError, FileNotFoundError) as e:
                        print(name, 'DENIED', type(e).__name__)
                open('mine.txt', 'w').write('second')
                print('UID', os.stat('mine.txt').st_uid)
                """;
            var secondResult = await Tool(namespaces).RunAsync(new JsonObject { ["code"] = second }, CancellationToken.None);
            Assert.False(secondResult.IsError, secondResult.Content);
            foreach (var attempt in new[] { "LIST", "READ", "PLANT" })
            {
                // In a root of its own the other directory is not there at all.
                Assert.Contains($"{attempt} DENIED {(namespaces ? "FileNotFoundError" : "PermissionError")}", secondResult.Content);
            }
            await File.WriteAllTextAsync(go, "");
            var firstResult = await running;
            Assert.False(firstResult.IsError, firstResult.Content);
            Assert.Equal(["secret.txt"], firstResult.Files.Where(f => f.Name != "go").Select(f => f.Name));
            Assert.Equal(["mine.txt"], secondResult.Files.Select(f => f.Name));
            var (firstUser, secondUser) = (Uid(firstResult.Content), Uid(secondResult.Content));
            Assert.NotEqual(firstUser, secondUser);
            Assert.All(new[] { firstUser, secondUser }, uid => Assert.True(uid is not (0 or 65534), $"written as {uid}"));
        }
        finally
        {
            // Whatever failed above, the first run is let go (and ends within its time limit anyway).
            if (go is not null)
            {
                try
                {
                    await File.WriteAllTextAsync(go, "");
                }
                catch (IOException)
                {
                    // Ended already.
                }
            }
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(30)));
        }
    }

    private static string Python(string text) => JsonSerializer.Serialize(text);

    private static long Uid(string output) => long.Parse(output.Split('\n').Single(l => l.StartsWith("UID ", StringComparison.Ordinal))[4..]);
}
