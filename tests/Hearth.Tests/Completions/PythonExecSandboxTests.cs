using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Completions;

/// <summary>
/// The attacks of issue 9 on <c>python_exec</c>, each tried by real code in a real run: the data folder, the host's
/// processes and sockets, other runs' temporary files, and the limits of the run as a whole.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PythonExecSandboxTests
{
    private static PythonExecTool Tool(Action<PythonExecOptions>? configure = null)
    {
        var options = new PythonExecOptions { Timeout = TimeSpan.FromSeconds(30) };
        configure?.Invoke(options);
        return new PythonExecTool(Options.Create(options), NullLogger<PythonExecTool>.Instance);
    }

    private static async Task<ToolResult> RunAsync(string code, Action<PythonExecOptions>? configure = null) =>
        await Tool(configure).RunAsync(new JsonObject { ["code"] = code }, CancellationToken.None);

    private static string Python(string text) => JsonSerializer.Serialize(text);

    /// <summary>The number the code printed after <paramref name="label"/> (a line <c>LABEL n</c>).</summary>
    private static int Reported(string output, string label) =>
        int.Parse(output.Split('\n').Single(l => l.StartsWith(label + " ", StringComparison.Ordinal))[(label.Length + 1)..]);

    /// <summary>Hearth on a data folder of mode 0755 (as a mounted volume typically is), with a user who uploaded a file.</summary>
    private static async Task<(HearthApp App, TestUser Ada, string Uploaded)> StartWithAnUploadAsync()
    {
        var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        File.SetUnixFileMode(app.DataDir, (UnixFileMode)Convert.ToInt32("755", 8));
        var ada = await app.SignUpAsync("Ada");
        var chat = await Chats.ChatDocs.CreateIdAsync(ada, "Files", 1);
        using var upload = new MultipartFormDataContent { { new ByteArrayContent("secret notes"u8.ToArray()), "file", "notes.txt" } };
        Assert.Equal(200, (int)(await ada.Client.PostAsync($"/api/conversations/{chat}/artifacts", upload)).StatusCode);
        return (app, ada, Directory.EnumerateFiles(Path.Combine(app.DataDir, "uploads"), "*.txt", SearchOption.AllDirectories).Single());
    }

    [Fact]
    public async Task HearthsFilesAreItsOwnWhateverTheModeOfTheDataFolder()
    {
        var (app, _, _) = await StartWithAnUploadAsync();
        await using var started = app;
        var entries = Directory.EnumerateFileSystemEntries(app.DataDir, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(entries, e => e.EndsWith("hearth.db", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EndsWith(".txt", StringComparison.Ordinal));
        var shared = (UnixFileMode)Convert.ToInt32("077", 8);
        Assert.All(entries, entry => Assert.True((File.GetUnixFileMode(entry) & shared) == 0, $"{entry} is {File.GetUnixFileMode(entry)}"));
    }

    [Fact]
    public async Task ARunCannotReadTheDataFolderOrTheUploads()
    {
        var (app, ada, uploaded) = await StartWithAnUploadAsync();
        await using var started = app;
        var code = $$"""
            import os
            targets = {
                'LIST': lambda: os.listdir({{Python(app.DataDir)}}),
                'DB': lambda: open({{Python(Path.Combine(app.DataDir, "hearth.db"))}}, 'rb').read(16),
                'WAL': lambda: open({{Python(Path.Combine(app.DataDir, "hearth.db-wal"))}}, 'rb').read(16),
                'SECRET': lambda: open({{Python(Path.Combine(app.DataDir, ".webui_secret_key"))}}).read(),
                'UPLOAD': lambda: open({{Python(uploaded)}}).read(),
            }
            for name, attempt in targets.items():
                try:
                    attempt()
                    print(name, 'READ')
                except OSError as e:
                    print(name, 'DENIED', type(e).__name__)
            """;
        var output = (await Json.ReadObjectAsync(await ada.Client.PostAsJsonAsync("/api/v1/tools/python_exec/run", new { arguments = new { code } }), 200))["content"]!.GetValue<string>();
        foreach (var target in new[] { "LIST", "DB", "WAL", "SECRET", "UPLOAD" })
        {
            Assert.Contains($"{target} DENIED", output);
        }
        if (PythonSandbox.CanIsolate)
        {
            // Not merely refused: in a root of its own, the folder is not there.
            Assert.Contains("LIST DENIED FileNotFoundError", output);
        }
    }

    [IsolatedRunFact]
    public async Task ARunSeesOnlyItsOwnProcessesAndNoCommandLineOfTheHost()
    {
        var result = await RunAsync("""
            import os
            pids = [p for p in os.listdir('/proc') if p.isdigit()]
            print('COUNT', len(pids))
            for pid in pids:
                try:
                    print('CMD', open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace'))
                except OSError:
                    pass
            """);
        Assert.False(result.IsError, result.Content);
        // The namespace's init, Python, and nothing of the host (the test host, its server, its databases).
        var count = Reported(result.Content, "COUNT");
        Assert.InRange(count, 1, 4);
        Assert.DoesNotContain("dotnet", result.Content);
        Assert.DoesNotContain("testhost", result.Content);
        Assert.DoesNotContain("postgres", result.Content);
    }

    [IsolatedRunFact]
    public async Task AFilesystemSocketOfTheHostIsOutOfReach()
    {
        // A socket anyone may connect to, as PostgreSQL's in /var/run/postgresql is: the run must not find it.
        var folder = Directory.CreateTempSubdirectory("hearth-socket-").FullName;
        var path = Path.Combine(folder, "s");
        try
        {
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("777", 8));
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("777", 8));
            var result = await RunAsync($$"""
                import socket
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect({{Python(path)}})
                    print('CONNECTED')
                except OSError as e:
                    print('BLOCKED', type(e).__name__)
                """);
            Assert.Contains("BLOCKED FileNotFoundError", result.Content);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [IsolatedRunFact]
    public async Task TemporaryFoldersArePrivateToARunAndGoWithIt()
    {
        var name = $"hearth-left-{Guid.NewGuid():N}";
        var folders = new[] { "/tmp", "/var/tmp", "/dev/shm" };
        var write = string.Join("\n", folders.Select(f => $"open({Python($"{f}/{name}")}, 'w').write('left behind')"));
        var first = await RunAsync(write);
        Assert.False(first.IsError, first.Content);
        var look = string.Join("\n", folders.Select(f => $"print({Python(f)}, os.path.exists({Python($"{f}/{name}")}))"));
        var second = await RunAsync("import os\n" + look);
        Assert.False(second.IsError, second.Content);
        Assert.All(folders, f => Assert.Contains($"{f} False", second.Content));
        Assert.All(folders, f => Assert.False(File.Exists($"{f}/{name}"), $"{f}/{name} is on the host"));
    }

    [IsolatedRunFact]
    public async Task TheRunsFilesystemIsBoundedAsAWhole()
    {
        // Files in the working directory and /tmp share one limit; the 1 MB writes stop there, with ENOSPC.
        var result = await RunAsync("""
            import os
            written = 0
            block = b'x' * (1 << 20)
            try:
                for i in range(100):
                    with open(('/tmp/' if i % 2 else '') + f'fill{i}', 'wb') as f:
                        f.write(block)
                    written += 1
            except OSError as e:
                print('STOPPED', e.errno == 28)
            print('WRITTEN', written)
            """, o => o.DiskBytes = 16L << 20);
        Assert.Contains("STOPPED True", result.Content);
        var written = Reported(result.Content, "WRITTEN");
        Assert.InRange(written, 8, 16);
    }

    [Fact]
    public async Task AFileLargerThanHearthReadsBackCannotBeWritten()
    {
        var result = await RunAsync("""
            try:
                open('big.bin', 'wb').write(b'x' * (2 << 20))
                print('WROTE')
            except OSError as e:
                print('REFUSED', e.errno == 27)
            """, o => o.MaxFileBytes = 1 << 20);
        Assert.Contains("REFUSED True", result.Content);
    }

    [RunProcessLimitFact]
    public async Task ARunCannotStartMoreProcessesThanItsLimit()
    {
        var result = await RunAsync("""
            import subprocess
            started = []
            try:
                for _ in range(200):
                    started.append(subprocess.Popen(['sleep', '5']))
            except OSError as e:
                print('REFUSED', type(e).__name__)
            print('STARTED', len(started))
            for p in started:
                p.kill()
            """, o => o.Processes = 16);
        Assert.Contains("REFUSED", result.Content);
        var started = Reported(result.Content, "STARTED");
        Assert.InRange(started, 1, 15);
    }

    [RunCgroupFact]
    public async Task MemoryIsLimitedForTheRunAsAWhole()
    {
        // Four processes of 100 MB each, each under the per-process limit of 256 MB, together over it: at most two
        // can hold theirs at once, so at least two must fail or be killed.
        var result = await RunAsync("""
            import os, time
            children = []
            for _ in range(4):
                pid = os.fork()
                if pid == 0:
                    try:
                        block = bytearray(100 << 20)
                        block[::4096] = b'x' * len(block[::4096])
                        time.sleep(3)
                        os._exit(0)
                    except MemoryError:
                        os._exit(3)
                children.append(pid)
            held = sum(1 for pid in children if os.waitpid(pid, 0)[1] == 0)
            print('HELD', held)
            """, o => o.MemoryBytes = 256L << 20);
        var held = result.Content.Split('\n').FirstOrDefault(l => l.StartsWith("HELD ", StringComparison.Ordinal));
        // The parent may be the one the kernel kills; if it lived, it saw at most two children hold their memory.
        if (held is not null)
        {
            Assert.InRange(int.Parse(held[5..]), 0, 2);
        }
        Assert.Contains("[killed: the run exceeded the memory limit of 256 MB]", result.Content);
        Assert.True(result.IsError);
    }
}
