using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Hearth.Server.Common;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Chats.Transfer;

/// <summary><c>POST /api/v1/chats/import/file</c>: an export file as the body, as the chat app's Settings send it.</summary>
public abstract class ImportUploadTests(SharedApp shared)
{
    private static ByteArrayContent Body(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return memory.ToArray();
    }

    [Fact]
    public async Task AChatGptExportImportsAsJsonAndAsItsZipWithFiles()
    {
        var user = await shared.NewUserAsync("Importer");
        var json = Encoding.UTF8.GetBytes(ChatGptExport.ConversationsJson());
        var summary = await Json.ReadObjectAsync(await user.Client.PostAsync("/api/v1/chats/import/file", Body(json, "application/json")), 200);
        Assert.Equal((1, 0), (summary["imported"]!.GetValue<int>(), summary["skipped"]!.GetValue<int>()));

        var zipPath = Path.Combine(shared.App.DataDir, $"export-{Guid.NewGuid():N}.zip");
        ChatGptExport.WriteZip(zipPath);
        var zipped = await Json.ReadObjectAsync(
            await user.Client.PostAsync("/api/v1/chats/import/file", Body(await File.ReadAllBytesAsync(zipPath), "application/zip")), 200);
        Assert.Equal((1, 0), (zipped["imported"]!.GetValue<int>(), zipped["missing_files"]!.GetValue<int>()));

        var chats = (await Json.ReadAsync(await user.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        Assert.Equal(["Proofing the dough", "Proofing the dough"], chats.Select(c => c!["title"]!.GetValue<string>()));
        var files = await Json.ReadObjectAsync(await user.Client.GetAsync("/api/artifacts"), 200);
        Assert.NotEmpty(files["items"]!.AsArray());
    }

    [Fact]
    public async Task AClaudeExportAndAnOpenWebUiExportImportToo()
    {
        var user = await shared.NewUserAsync("Importer");
        const string claude = """
            [{"uuid": "c1", "name": "Claude chat", "created_at": "2024-04-01T10:00:00Z", "updated_at": "2024-04-01T10:05:00Z",
              "chat_messages": [
                {"uuid": "m1", "sender": "human", "text": "Hello Claude", "created_at": "2024-04-01T10:00:00Z"},
                {"uuid": "m2", "sender": "assistant", "text": "Hello!", "created_at": "2024-04-01T10:00:05Z"}]}]
            """;
        Assert.Equal(1, (await Json.ReadObjectAsync(await user.Client.PostAsync("/api/v1/chats/import/file",
            Json.Raw(claude)), 200))["imported"]!.GetValue<int>());
        var exported = await (await user.Client.GetAsync("/api/v1/chats/all?format=json")).Content.ReadAsStringAsync();
        Assert.Equal(1, (await Json.ReadObjectAsync(await user.Client.PostAsync("/api/v1/chats/import/file",
            Body(Encoding.UTF8.GetBytes(exported), "application/json; charset=utf-8")), 200))["imported"]!.GetValue<int>());
        var titles = (await Json.ReadAsync(await user.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray().Select(c => c!["title"]!.GetValue<string>());
        Assert.Equal(["Claude chat", "Claude chat"], titles);
    }

    [Fact]
    public async Task BadUploadsAreRefusedAndWriteNothing()
    {
        var user = await shared.NewUserAsync("Importer");
        const string path = "/api/v1/chats/import/file";
        await Json.AssertDetailAsync(await user.Client.PostAsync(path, Body("[]"u8.ToArray(), "text/plain")), 415, ErrorMessages.ImportMediaType);
        await Json.AssertDetailAsync(await user.Client.PostAsync(path, new ByteArrayContent("[]"u8.ToArray())), 415, ErrorMessages.ImportMediaType);
        await Json.AssertDetailAsync(await user.Client.PostAsync(path, Body("not a zip"u8.ToArray(), "application/zip")), 400, ErrorMessages.ImportNotAZip);
        await Json.AssertDetailAsync(await user.Client.PostAsync(path, Body(Zip(("notes.txt", "hi")), "application/zip")), 400,
            ErrorMessages.ImportNoConversations);
        var broken = await Json.ReadObjectAsync(await user.Client.PostAsync(path, Json.Raw("""[{"chat": {"title": """)), 400);
        Assert.StartsWith("entry 1:", broken["detail"]!.GetValue<string>());
        var notAList = await Json.ReadObjectAsync(await user.Client.PostAsync(path, Json.Raw("""{"chat": {}}""")), 400);
        Assert.StartsWith("entry 1:", notAList["detail"]!.GetValue<string>());
        Assert.Empty((await Json.ReadAsync(await user.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray());
    }
}

public sealed class ImportUploadTestsOnSqlite(SharedApp.OnSqlite shared) : ImportUploadTests(shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ImportUploadTestsOnPostgres(SharedApp.OnPostgres shared) : ImportUploadTests(shared), IClassFixture<SharedApp.OnPostgres>;
