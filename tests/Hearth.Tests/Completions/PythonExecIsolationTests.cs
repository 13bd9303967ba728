using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Completions;

/// <summary>Under a root Hearth each <c>python_exec</c> run is a user of its own: runs at once cannot reach each other.</summary>
public sealed class PythonExecIsolationTests
{
    private static readonly PythonExecTool Tool =
        new(Options.Create(new PythonExecOptions { Timeout = TimeSpan.FromSeconds(30) }), NullLogger<PythonExecTool>.Instance);

    [OwnRunUserFact]
    public async Task ARunCannotListReadOrWriteInAnotherRunsDirectoryAndEachWritesAsItsOwnUser()
    {
        // The first run leaves a file, tells its directory through a file (a running call answers nothing yet) and
        // waits until the second has tried that directory.
        var told = Path.Combine(Path.GetTempPath(), $"hearth-python-test-{Guid.NewGuid():N}.txt");
        var go = told + ".go";
        var first = $$"""
            import os, time
            open('secret.txt', 'w').write('first')
            print('UID', os.stat('secret.txt').st_uid)
            open({{Python(told)}} + '.part', 'w').write(os.getcwd())
            os.replace({{Python(told)}} + '.part', {{Python(told)}})
            while not os.path.exists({{Python(go)}}):
                time.sleep(0.05)
            """;
        var running = Tool.RunAsync(new JsonObject { ["code"] = first }, CancellationToken.None);
        try
        {
            for (var waited = Stopwatch.StartNew(); !File.Exists(told); await Task.Delay(50))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the first run did not start");
            }
            var other = await File.ReadAllTextAsync(told);
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
                    except PermissionError:
                        print(name, 'DENIED')
                open('mine.txt', 'w').write('second')
                print('UID', os.stat('mine.txt').st_uid)
                """;
            var secondResult = await Tool.RunAsync(new JsonObject { ["code"] = second }, CancellationToken.None);
            Assert.False(secondResult.IsError, secondResult.Content);
            foreach (var attempt in new[] { "LIST", "READ", "PLANT" })
            {
                Assert.Contains($"{attempt} DENIED", secondResult.Content);
            }
            await File.WriteAllTextAsync(go, "");
            var firstResult = await running;
            Assert.False(firstResult.IsError, firstResult.Content);
            Assert.Equal(["secret.txt"], firstResult.Files.Select(f => f.Name));
            Assert.Equal(["mine.txt"], secondResult.Files.Select(f => f.Name));
            var (firstUser, secondUser) = (Uid(firstResult.Content), Uid(secondResult.Content));
            Assert.NotEqual(firstUser, secondUser);
            Assert.All(new[] { firstUser, secondUser }, uid => Assert.True(uid is not (0 or 65534), $"written as {uid}"));
        }
        finally
        {
            // Whatever failed above, the first run is let go (and ends within its time limit anyway) before the files go.
            await File.WriteAllTextAsync(go, "");
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(30)));
            File.Delete(told);
            File.Delete(go);
        }
    }

    private static string Python(string text) => JsonSerializer.Serialize(text);

    private static long Uid(string output) => long.Parse(output.Split('\n').Single(l => l.StartsWith("UID ", StringComparison.Ordinal))[4..]);
}
