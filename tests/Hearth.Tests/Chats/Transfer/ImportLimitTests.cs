using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Hearth.Server.Common;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats.Transfer;

/// <summary>
/// What an import may read is bounded while it reads: a zip bomb (honest or lying about its sizes), one huge
/// conversation, a file larger than an artifact may be. Small limits here, so the bombs stay small.
/// </summary>
public abstract class ImportLimitTests(SharedApp shared)
{
    private const long Unpacked = 8 * 1024 * 1024;
    private const long OneChat = 1024 * 1024;
    private const long OneFile = 2 * 1024 * 1024;
    private const string Path = "/api/v1/chats/import/file";

    internal static Dictionary<string, string?> Limits => new()
    {
        ["IMPORT_MAX_UNPACKED_SIZE"] = Unpacked.ToString(),
        ["IMPORT_MAX_CHAT_SIZE"] = OneChat.ToString(),
        ["ARTIFACT_MAX_FILE_SIZE"] = OneFile.ToString(),
    };

    [Fact]
    public async Task AZipBombIsRefusedBeforeAnythingIsWritten()
    {
        var user = await shared.NewUserAsync("Importer");
        // 200 MB of one letter packs into a few hundred kilobytes, far under the request limit.
        var bomb = ExportZip(csvBytes: 200L * 1024 * 1024);
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");
        await Json.AssertDetailAsync(await user.Client.PostAsync(Path, ZipBody(bomb)), 413, ErrorMessages.ImportUnpacksTooLarge(Unpacked));
        await AssertNothingImportedAsync(user);
    }

    [Fact]
    public async Task AnEntryLyingAboutItsSizeUnpacksNoFurtherThanItSays()
    {
        var user = await shared.NewUserAsync("Importer");
        // The file's entry says 100 bytes and holds 200 MB: the zip reader stops at what the entry declares (and the
        // import's budget counts what unpacks, ReadBudgetTests), so the file is kept cut at 100 bytes.
        var liar = DeclareSize(ExportZip(csvBytes: 200L * 1024 * 1024), "rise.csv", 100);
        var summary = await Json.ReadObjectAsync(await user.Client.PostAsync(Path, ZipBody(liar)), 200);
        Assert.Equal(1, summary["imported"]!.GetValue<int>());
        var files = await Json.ReadObjectAsync(await user.Client.GetAsync("/api/artifacts"), 200);
        var csv = Assert.Single(files["items"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "rise.csv")!;
        Assert.Equal(100, csv["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task AConversationOverTheLimitStopsTheImportAfterTheOnesBeforeIt()
    {
        var user = await shared.NewUserAsync("Importer");
        // Well over the limit: the deserialiser reads ahead in growing buffers, so a conversation is told apart
        // from the one before it only to within a buffer.
        var huge = new string('x', 3 * (int)OneChat);
        var body = $$$$"""
            [{"title": "Small", "chat": {"title": "Small", "history": {"messages": {}, "currentId": null}}},
             {"title": "Huge", "chat": {"title": "Huge", "history": {"messages": {"m": {"id": "m", "role": "user", "content": "{{{{huge}}}}"}}, "currentId": "m"}}},
             {"title": "After", "chat": {"title": "After", "history": {"messages": {}, "currentId": null}}}]
            """;
        var summary = await Json.ReadObjectAsync(await user.Client.PostAsync(Path, Json.Raw(body)), 200);
        Assert.Equal(1, summary["imported"]!.GetValue<int>());
        Assert.True(summary["stopped"]!.GetValue<bool>());
        Assert.Contains(ErrorMessages.ImportChatTooLarge(OneChat), summary["problems"]!.AsArray().Select(p => p!.GetValue<string>()));
        var titles = (await Json.ReadAsync(await user.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        Assert.Equal(["Small"], titles.Select(c => c!["title"]!.GetValue<string>()));

        // Alone it is refused outright, as too large.
        var alone = body.Replace("""{"title": "Small", "chat": {"title": "Small", "history": {"messages": {}, "currentId": null}}},""", "");
        await Json.AssertDetailAsync(await user.Client.PostAsync(Path, Json.Raw(alone)), 413, ErrorMessages.ImportChatTooLarge(OneChat));
    }

    [Fact]
    public async Task AFileLargerThanAnArtifactMayBeIsLeftOutAndSaidSo()
    {
        var user = await shared.NewUserAsync("Importer");
        var summary = await Json.ReadObjectAsync(await user.Client.PostAsync(Path, ZipBody(ExportZip(csvBytes: OneFile + 1))), 200);
        Assert.Equal(1, summary["imported"]!.GetValue<int>());
        var problems = summary["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains(problems, p => p.Contains("'rise.csv' was not kept: " + ErrorMessages.ArtifactTooLarge(OneFile), StringComparison.Ordinal));
        var files = await Json.ReadObjectAsync(await user.Client.GetAsync("/api/artifacts"), 200);
        var names = files["items"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("rise.csv", names);
        Assert.Contains("jar.png", names);
    }

    private static async Task AssertNothingImportedAsync(TestUser user)
    {
        Assert.Empty((await Json.ReadAsync(await user.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray());
        Assert.Empty((await Json.ReadObjectAsync(await user.Client.GetAsync("/api/artifacts"), 200))["items"]!.AsArray());
    }

    private static ByteArrayContent ZipBody(byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/zip");
        return content;
    }

    /// <summary>The ChatGPT export with its <c>rise.csv</c> (named by a sandbox link) made <paramref name="csvBytes"/> long.</summary>
    private static byte[] ExportZip(long csvBytes)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var json = zip.CreateEntry("conversations.json").Open())
            {
                json.Write(Encoding.UTF8.GetBytes(ChatGptExport.ConversationsJson()));
            }
            using (var png = zip.CreateEntry("file-Upload1-jar.png").Open())
            {
                png.Write(ChatGptExport.Upload);
            }
            using var csv = zip.CreateEntry("rise.csv", CompressionLevel.SmallestSize).Open();
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1024 * 1024));
            for (long left = csvBytes; left > 0; left -= chunk.Length)
            {
                csv.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }
        return memory.ToArray();
    }

    /// <summary>The zip with <paramref name="name"/>'s uncompressed size rewritten, in its local header and in the central directory.</summary>
    private static byte[] DeclareSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (var at = 0; at + 46 < zip.Length; at++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at));
            var (sizeAt, nameLengthAt, nameAt) = signature switch
            {
                0x04034b50 => (22, 26, 30),
                0x02014b50 => (24, 28, 46),
                _ => (-1, -1, -1),
            };
            if (sizeAt < 0)
            {
                continue;
            }
            var length = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + nameLengthAt));
            if (at + nameAt + length <= zip.Length && zip.AsSpan(at + nameAt, length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + sizeAt), size);
            }
        }
        return zip;
    }

    public sealed class SqliteLimits() : SharedApp(DatabaseKind.Sqlite, Limits);
    public sealed class PostgresLimits() : SharedApp(DatabaseKind.Postgres, Limits);
}

public sealed class ImportLimitTestsOnSqlite(ImportLimitTests.SqliteLimits shared) : ImportLimitTests(shared), IClassFixture<ImportLimitTests.SqliteLimits>;
public sealed class ImportLimitTestsOnPostgres(ImportLimitTests.PostgresLimits shared) : ImportLimitTests(shared), IClassFixture<ImportLimitTests.PostgresLimits>;
