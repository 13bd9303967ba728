using System.Globalization;
using System.Net.Http.Json;
using Hearth.Server.Common;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>The real program's command line: its usage, its version, a mistyped command, and a command's output.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hearth-cli-").FullName;

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task HelpListsEveryCommandAndSettingGroup(string flag)
    {
        var (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = _data }, flag);
        Assert.Equal(0, exitCode);
        Assert.Equal("", errors);
        Assert.StartsWith($"Hearth {CommonSetup.Version}", output);
        foreach (var expected in new[] { "Usage: Hearth.Server [command]", "import ", "export ", "rebuild-artifacts ", "backup ", "verify ", "restore ", "--version",
            "Server ", "Web access ", "Database ", "Accounts ", "Model servers ", "Tools ", "Artifact files ", "Artifact storage ",
            "CORS_ALLOW_ORIGIN", "DATABASE_URL", "OPENAI_API_BASE_URLS", "S3_BUCKET_NAME" })
        {
            Assert.Contains(expected, output);
        }
        // Answered before anything starts: nothing was created.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data));
    }

    [Fact]
    public async Task VersionIsHearthsOwn()
    {
        var (exitCode, output, _) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = _data }, "--version");
        Assert.Equal(0, exitCode);
        Assert.Equal($"Hearth {CommonSetup.Version}\n", output);
        Assert.Matches(@"^\d+\.\d+\.\d+", CommonSetup.Version);
    }

    [Fact]
    public async Task AnUnknownCommandPrintsTheUsageAndExits2WithoutStarting()
    {
        var (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = _data }, "improt", "--user", "ada@example.com", "x.json");
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("Hearth has no command 'improt' (did you mean import?).", errors);
        Assert.Contains("Usage: Hearth.Server [command]", errors);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data));
    }

    [Fact]
    public async Task ImportEndsItsProgressBarWithANewlineBeforeTheSummary()
    {
        var port = Ports.Free();
        await using (var server = HearthProcess.Start(new() { ["DATA_DIR"] = _data, ["PORT"] = port.ToString(CultureInfo.InvariantCulture) }))
        {
            await server.WaitForOutputAsync("is running");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var signup = await client.PostAsJsonAsync("/api/v1/auths/signup", new { name = "Ada", email = "ada@example.com", password = "correct horse" });
            Assert.Equal(200, (int)signup.StatusCode);
        }

        // The fixture's two well-formed conversations (its second is malformed on purpose, and would be reported after the bar).
        var fixture = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Chats", "Fixtures", "chatgpt-conversations.json")))!.AsArray();
        var export = Path.Combine(_data, "conversations.json");
        await File.WriteAllTextAsync(export, new System.Text.Json.Nodes.JsonArray(fixture[0]!.DeepClone(), fixture[2]!.DeepClone()).ToJsonString());
        var (exitCode, output, errors) = await HearthProcess.RunAsync(new() { ["DATA_DIR"] = _data }, "import", "--user", "ada@example.com", export);
        Assert.True(exitCode == 0, output + errors);
        Assert.Equal("Imported 2 chats for ada@example.com; skipped 0.\n", output);
        // The last drawing of the bar (after its last carriage return) is whole and ends its line; the image the
        // fixture names is not in a bare conversations.json, which the next line says.
        var lastBar = errors[(errors.LastIndexOf('\r') + 1)..];
        Assert.Matches(@"^  \[#{24}\] .* 2 imported, 0 skipped\n  1 files the conversations name are not in the export \(.*\)\.\n$", lastBar);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
