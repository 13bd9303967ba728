using System.Net.Http.Json;
using Hearth.Server.Audit;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Audit;

/// <summary>The audit file itself: off by default, rotated at its size, old rotated files removed, and never in a request's way (no store involved, so SQLite only).</summary>
public sealed class AuditFileTests
{
    [Fact]
    public async Task WithTheDefaultLevelNothingIsWritten()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var ada = await app.SignUpAsync("Ada");
        await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = ada.Email, password = "wrong" }).AnswersAsync(400);
        await ada.Client.PostAsync("/api/v1/auths/api_key", null).SucceedsAsync();
        // A restart stops the writer, which writes what it has queued first: so nothing was queued.
        await app.RestartAsync();
        Assert.Empty(AuditLines.Files(app.DataDir));
        var page = await Json.ReadObjectAsync(await (await app.SignInAsync(ada.Email, ada.Password)).Client.GetAsync("/api/v1/audit/logs"), 200);
        Assert.Empty(page["items"]!.AsArray());
    }

    [Fact]
    public async Task TheFileRotatesBeforeItPassesItsSizeAndTheApiReadsAcrossFiles()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite,
            new Dictionary<string, string?> { ["AUDIT_LOG_LEVEL"] = "METADATA", ["AUDIT_LOG_FILE_ROTATION_SIZE"] = "1KB" });
        var ada = await app.SignUpAsync("Ada");
        const int signouts = 12;
        for (var i = 0; i < signouts; i++)
        {
            Assert.Equal(200, (int)(await ada.Client.PostAsync("/api/v1/auths/signout", null)).StatusCode);
            ada = await app.SignInAsync(ada.Email, ada.Password);
        }
        // Every line the loop causes, the last sign-in's too: until then the writer may be between renaming the full file
        // and starting the next (a CI run once listed the files in that moment and found no audit.log).
        await AuditLines.WaitForAsync(app.DataDir, _ =>
            AuditLines.All(app.DataDir) is var lines
            && lines.Count(l => l["action"].Text() == "auth.signout") == signouts
            && lines.Count(l => l["action"].Text() == "auth.signin") == signouts, "every sign-out and sign-in");
        var files = AuditLines.Files(app.DataDir).ToList();
        Assert.True(files.Count >= 3, $"{files.Count} files");
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 1024));
        Assert.Contains(files, f => Path.GetFileName(f) == "audit.log");

        var page = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/audit/logs?action=auth.signout&limit=500"), 200);
        var times = page["items"]!.AsArray().Select(l => l!["time"].Text()).ToList();
        Assert.Equal(signouts, times.Count);
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        // METADATA keeps no bodies.
        Assert.All(AuditLines.All(app.DataDir), l => Assert.Null(l["request"]));
    }

    [Fact]
    public async Task RotatedFilesPastTheRetentionAreRemovedAndTheNewestKept()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
        {
            ["AUDIT_LOG_LEVEL"] = "METADATA", ["AUDIT_LOG_FILE_ROTATION_SIZE"] = "1KB", ["AUDIT_LOG_FILE_RETENTION"] = "2",
        });
        var ada = await app.SignUpAsync("Ada");
        const int signouts = 12;
        for (var i = 0; i < signouts; i++)
        {
            Assert.Equal(200, (int)(await ada.Client.PostAsync("/api/v1/auths/signout", null)).StatusCode);
            ada = await app.SignInAsync(ada.Email, ada.Password);
        }
        // A last, failed sign-in: lines are written in order, so once it is in, every rotation before it is done.
        await app.Client().PostAsJsonAsync("/api/v1/auths/signin", new { email = ada.Email, password = "wrong" }).AnswersAsync(400);
        await AuditLines.WaitForAsync(app.DataDir, l => l["action"].Text() == "auth.signin" && l["outcome"].Text() == "failure", "the failed sign-in");
        var files = AuditLines.Files(app.DataDir).ToList();
        Assert.Equal(3, files.Count); // audit.log and the two newest rotated files
        Assert.Contains(files, f => Path.GetFileName(f) == "audit.log");

        // What is left are the newest lines: the last sign-out is there, the first sign-up is gone.
        var page = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/audit/logs?limit=500"), 200);
        var actions = page["items"]!.AsArray().Select(l => l!["action"].Text()).ToList();
        Assert.Contains("auth.signout", actions);
        Assert.DoesNotContain("auth.signup", actions);
    }

    [Theory]
    [InlineData("10", 10, null)]
    [InlineData("0", 0, null)]
    [InlineData("30 days", null, 30 * 24.0)]
    [InlineData("12 hours", null, 12.0)]
    [InlineData("1 week", null, 7 * 24.0)]
    public void RetentionReadsAsLoguruReadsIt(string text, int? files, double? hours)
    {
        var retention = AuditRetention.Parse(text)!;
        Assert.Equal(files, retention.Files);
        Assert.Equal(hours, retention.Age?.TotalHours);
    }

    [Theory]
    [InlineData("forever")]
    [InlineData("-1")]
    [InlineData("3 fortnights")]
    [InlineData("0 days")]
    public void RetentionRefusesWhatItCannotRead(string text) => Assert.Null(AuditRetention.Parse(text));

    [Fact]
    public async Task AnAuditFileThatCannotBeWrittenNeverFailsTheRequest()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            // A folder that can never be made: its parent is a file.
            await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?>
            {
                ["AUDIT_LOG_LEVEL"] = "REQUEST_RESPONSE",
                ["AUDIT_LOGS_FILE_PATH"] = Path.Combine(blocker, "logs", "audit.log"),
            });
            var ada = await app.SignUpAsync("Ada");
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(200, (int)(await ada.Client.PostAsync("/api/v1/auths/api_key", null)).StatusCode);
            }
            Assert.Equal(200, (int)(await ada.Client.GetAsync("/api/v1/audit/logs")).StatusCode);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Theory]
    [InlineData("10MB", 10L * 1024 * 1024)]
    [InlineData("500 KB", 500L * 1024)]
    [InlineData("1.5GB", 1536L * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    [InlineData("10 parsecs", null)]
    [InlineData("MB", null)]
    public void RotationSizesReadAsLoguruReadsThem(string text, long? bytes) => Assert.Equal(bytes, AuditOptions.ParseSize(text));

    [Fact]
    public void ScrubbingRemovesCredentialsAtAnyDepthAndCutsLongBodies()
    {
        var body = new { email = "a@example.com", password = "p", nested = new[] { new { api_key = "sk-1", new_password = "q", name = "kept" } } };
        var scrubbed = AuditScrub.Node(body, 10_000)!.ToJsonString();
        Assert.Equal("""{"email":"a@example.com","password":"[removed]","nested":[{"api_key":"[removed]","new_password":"[removed]","name":"kept"}]}""", scrubbed);
        Assert.Equal(11, AuditScrub.Node(new { text = new string('x', 100) }, 10)!.GetValue<string>().Length);
    }
}
