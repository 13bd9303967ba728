using System.Text;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.ArtifactFiles.ArtifactUploads;

namespace Hearth.Tests.ArtifactFiles;

/// <summary>Uploads that must store nothing: over a limit (413), malformed (422); and names that must be cleaned.</summary>
public abstract class ArtifactUploadLimitTests(DatabaseKind kind) : HearthTest(kind)
{
    private static async Task AssertNothingStoredAsync(HearthApp app, TestUser user, string chat, int expected = 0)
    {
        Assert.Equal(expected, FilesOnDisk(app, chat).Length);
        Assert.Equal(expected, (await Json.ReadObjectAsync(await user.Client.GetAsync($"/api/artifacts?conversation_id={chat}"), 200))["total"]!.GetValue<long>());
        var meta = Path.Combine(ConversationFolder(app, chat), "artifacts", ".meta");
        Assert.Equal(expected, Directory.Exists(meta) ? Directory.GetFiles(meta).Length : 0);
    }

    [Fact]
    public async Task AFileOverThePerFileLimitIs413AndNothingIsStored()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ARTIFACT_MAX_FILE_SIZE"] = "1000" });
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Big");
        await UploadAsync(ada, chat, "fits.bin", new byte[1000]);
        await Json.AssertDetailAsync(await PostAsync(ada.Client, chat, "big.bin", new byte[1001]), 413,
            "The file is larger than the limit of 1000 bytes per artifact (setting ARTIFACT_MAX_FILE_SIZE).");
        // A body far past the limit is cut off while it is read, with the same answer.
        await Json.AssertDetailAsync(await PostAsync(ada.Client, chat, "huge.bin", new byte[3 * 1024 * 1024]), 413,
            "The file is larger than the limit of 1000 bytes per artifact (setting ARTIFACT_MAX_FILE_SIZE).");
        await AssertNothingStoredAsync(app, ada, chat, expected: 1);
    }

    [Fact]
    public async Task TheDefaultPerFileLimitIs25MiBEvenAboveTheRequestBodyLimit()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Large");
        var item = await UploadAsync(ada, chat, "exactly-25.bin", new byte[25 * 1024 * 1024]);
        Assert.Equal(25 * 1024 * 1024, item["size"]!.GetValue<long>());
        await Json.AssertDetailAsync(await PostAsync(ada.Client, chat, "over.bin", new byte[25 * 1024 * 1024 + 1]), 413,
            "The file is larger than the limit of 26214400 bytes per artifact (setting ARTIFACT_MAX_FILE_SIZE).");
        await AssertNothingStoredAsync(app, ada, chat, expected: 1);
    }

    [Fact]
    public async Task ConversationAndUserTotalsAreLimitsToo()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["ARTIFACT_MAX_CONVERSATION_SIZE"] = "1500", ["ARTIFACT_MAX_USER_SIZE"] = "2500",
        });
        var ada = await app.SignUpAsync("Ada");
        var one = await ChatDocs.CreateIdAsync(ada, "One");
        var two = await ChatDocs.CreateIdAsync(ada, "Two");
        await UploadAsync(ada, one, "a.bin", new byte[1000]);
        await Json.AssertDetailAsync(await PostAsync(ada.Client, one, "b.bin", new byte[501]), 413,
            "The conversation's artifacts would exceed the limit of 1500 bytes (setting ARTIFACT_MAX_CONVERSATION_SIZE).");
        await UploadAsync(ada, two, "c.bin", new byte[1000]);
        var three = await ChatDocs.CreateIdAsync(ada, "Three");
        await Json.AssertDetailAsync(await PostAsync(ada.Client, three, "d.bin", new byte[501]), 413,
            "Your artifacts would exceed the limit of 2500 bytes per user (setting ARTIFACT_MAX_USER_SIZE).");
        await AssertNothingStoredAsync(app, ada, three, expected: 0);
        // Deleting frees the space again.
        var first = (await Json.ReadObjectAsync(await ada.Client.GetAsync($"/api/artifacts?conversation_id={one}"), 200))["items"]![0]!;
        await Json.ReadAsync(await ada.Client.DeleteAsync(first["url"]!.GetValue<string>()), 200);
        await UploadAsync(ada, three, "d.bin", new byte[501]);
    }

    [Theory]
    [InlineData("../../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\evil.html", "evil.html")]
    [InlineData("a\u0000b\u001b[31m.txt", "ab[31m.txt")]
    [InlineData("..", "file")]
    public async Task HostileNamesAreCleanedAndNeverBecomePaths(string name, string clean)
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Names");
        var item = await Json.ReadObjectAsync(await ada.Client.PostAsync($"/api/conversations/{chat}/artifacts", RawForm(name, "x")), 200);
        Assert.Equal(clean, item["name"]!.GetValue<string>());
        var stored = Assert.Single(FilesOnDisk(app, chat));
        Assert.StartsWith(Id(item), Path.GetFileName(stored));
        Assert.False(File.Exists(Path.Combine(app.DataDir, "etc", "passwd")));
        var download = await ada.Client.GetAsync(item["url"]!.GetValue<string>());
        Assert.Equal(clean, download.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task ALongNameIsCutTo255Bytes()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Names");
        var item = await UploadAsync(ada, chat, new string('ж', 400) + ".csv", "a,b");
        var name = item["name"]!.GetValue<string>();
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 255);
        Assert.EndsWith(".csv", name);
        Assert.Equal("files", item["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedUploadsAre422()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Bad");
        var url = $"/api/conversations/{chat}/artifacts";
        var noFile = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var issue = await Json.AssertValidationErrorAsync(await ada.Client.PostAsync(url, noFile));
        Assert.Equal(["body", "file"], issue["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync(url, Json.Raw("{\"file\": \"x\"}")));
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync(url, null));
        var unknownMessage = await Json.AssertValidationErrorAsync(await PostAsync(ada.Client, chat, "x.txt", [1], messageId: "no-such-message"));
        Assert.Equal(["body", "message_id"], unknownMessage["loc"]!.AsArray().Select(n => n!.GetValue<string>()));
        await AssertNothingStoredAsync(app, ada, chat);
    }

    [Fact]
    public async Task AFileNameBrokenByALineBreakIs400SayingSoNot413()
    {
        // CR LF ends the part's header line; the rest of the name is a header line without a colon.
        const string name = "a\r\nb.html";
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "Line breaks");
        await Json.AssertDetailAsync(await ada.Client.PostAsync($"/api/conversations/{chat}/artifacts", RawForm(name, "x")), 400,
            "The upload is not a well-formed multipart form: a part's headers cannot be read (a file name cannot hold a line break).");
        await AssertNothingStoredAsync(app, ada, chat);
    }
}

public sealed class ArtifactUploadLimitTestsOnSqlite() : ArtifactUploadLimitTests(DatabaseKind.Sqlite);
public sealed class ArtifactUploadLimitTestsOnPostgres() : ArtifactUploadLimitTests(DatabaseKind.Postgres);
