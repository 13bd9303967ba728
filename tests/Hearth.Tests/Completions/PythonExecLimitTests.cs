using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Completions.Tools;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Completions;

/// <summary>The limits of <c>python_exec</c>, run through the tool route (they do not depend on the database).</summary>
public sealed class PythonExecLimitTests
{
    private static async Task<JsonObject> Run(HearthApp app, TestUser user, string code) =>
        await Json.ReadObjectAsync(await user.Client.PostAsJsonAsync("/api/v1/tools/python_exec/run", new { arguments = new { code } }), 200);

    private static Task<HearthApp> StartAsync() => HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
    {
        ["PYTHON_EXEC_TIMEOUT"] = "2", ["PYTHON_EXEC_MEMORY_MB"] = "256", ["PYTHON_EXEC_OUTPUT_BYTES"] = "2048",
    });

    [Fact]
    public async Task AnEndlessLoopIsKilledAtTheTimeLimit()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Run(app, ada, "while True:\n    pass");
        // Unkilled, the loop would never end; a loaded CI machine once took 7 s to end a run at its 2-second limit.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.True(result["is_error"]!.GetValue<bool>());
        Assert.Contains("time limit", result["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMemoryHogFailsAtTheMemoryLimit()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var result = await Run(app, ada, "block = bytearray(1024 * 1024 * 1024)\nprint('allocated')");
        Assert.True(result["is_error"]!.GetValue<bool>());
        Assert.Contains("MemoryError", result["content"]!.GetValue<string>());
        Assert.DoesNotContain("allocated", result["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ANetworkConnectionFails()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        // Hearth itself listens on loopback: reaching it proves the network is open, failing proves it is not.
        var code = $"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {app.BaseAddress.Port}), timeout=1)\n    print('CONNECTED')\nexcept OSError as e:\n    print('BLOCKED', e)";
        var output = (await Run(app, ada, code))["content"]!.GetValue<string>();
        Assert.Contains("BLOCKED", output);
        Assert.DoesNotContain("CONNECTED", output);
    }

    [Fact]
    public async Task CodeRunByRootHearthCannotReadTheDataFolder()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var secret = Path.Combine(app.DataDir, ".webui_secret_key");
        Assert.True(File.Exists(secret));
        var code = $"try:\n    open({System.Text.Json.JsonSerializer.Serialize(secret)}).read()\n    print('READ')\nexcept OSError as e:\n    print('DENIED', type(e).__name__)";
        var output = (await Run(app, ada, code))["content"]!.GetValue<string>();
        // A run with a root of its own does not even see the folder; without one, only a root Hearth hands the code
        // to another user, and an ordinary Hearth refuses to run code that would be itself.
        Assert.Contains("DENIED", output);
    }

    [Fact]
    public async Task LinksAndPipesLeftByTheCodeAreNotReadBack()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var secret = Path.Combine(app.DataDir, ".webui_secret_key");
        var code = $"import os\nos.symlink({System.Text.Json.JsonSerializer.Serialize(secret)}, 'k.txt')\nos.symlink('/etc', 'etc')\nos.mkfifo('pipe')\nopen('ok.txt', 'w').write('fine')";
        var result = await Run(app, ada, code);
        Assert.Equal(["ok.txt"], result["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AFileWhoseNameIsNotUtf8IsSkippedTheOthersAreReadBackAndTheDirectoryIsRemoved()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        // .NET lists such a name with a replacement character, so it cannot be found again to be read.
        // Nor can .NET delete it: the directory must still go.
        var code = "import os\nprint('DIR', os.getcwd())\nos.mkdir(b'sub\\xfe')\nopen(b'sub\\xfe/bad\\xff.txt', 'w').write('lost')\n" +
            "open(b'bad\\xff.txt', 'w').write('lost')\nopen('good.txt', 'w').write('kept')";
        var result = await Run(app, ada, code);
        var content = result["content"]!.GetValue<string>();
        Assert.False(result["is_error"]!.GetValue<bool>(), content);
        Assert.Equal(["good.txt"], result["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.False(Directory.Exists(PythonExecProcessTests.RunDirectory(content)));
    }

    [Fact]
    public async Task HugeOutputIsTruncatedAndTheDirectoryIsRemoved()
    {
        // Its own time limit: on a loaded machine, pushing megabytes through pipes can take longer than the others' 2 s.
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["PYTHON_EXEC_TIMEOUT"] = "60", ["PYTHON_EXEC_OUTPUT_BYTES"] = "2048",
        });
        var ada = await app.SignUpAsync("Ada");
        // 4 MB on each stream, 2,000 times the limit: read past it and dropped, so the code is never blocked on a full pipe.
        var result = await Run(app, ada, "import os, sys\nprint('DIR', os.getcwd(), flush=True)\nsys.stdout.write('x' * 4000000)\nsys.stderr.write('y' * 4000000)");
        var content = result["content"]!.GetValue<string>();
        Assert.False(result["is_error"]!.GetValue<bool>());
        Assert.Contains("[output truncated at 2048 bytes]", content);
        Assert.True(content.Length < 2300);
        var directory = PythonExecProcessTests.RunDirectory(content);
        Assert.StartsWith(Path.GetTempPath().TrimEnd('/'), directory);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void FilesAreReadBackWhenTheTemporaryFolderIsReachedThroughALink()
    {
        // Each opened file is compared with where the kernel says it is: a linked temp path must not make them all differ.
        var real = Directory.CreateTempSubdirectory("hearth-python-real-").FullName;
        var linked = real + "-link";
        Directory.CreateSymbolicLink(linked, real);
        try
        {
            var script = Path.Combine(linked, ".hearth_main.py");
            File.WriteAllText(script, "pass");
            Directory.CreateDirectory(Path.Combine(linked, "out"));
            File.WriteAllText(Path.Combine(linked, "out", "a.txt"), "fine");
            var files = RunFiles.Collect(linked, RunFiles.KernelDirectory(script), script, 1024);
            Assert.Equal(["out/a.txt"], files.Select(f => f.Name));
            Assert.Equal("fine", System.Text.Encoding.UTF8.GetString(Assert.Single(files).Content));
            // Read through another directory than the one the script was in, every file is something else than listed.
            Assert.Empty(RunFiles.Collect(linked, Path.GetTempPath(), script, 1024));
        }
        finally
        {
            Directory.Delete(linked);
            Directory.Delete(real, recursive: true);
        }
    }
}
