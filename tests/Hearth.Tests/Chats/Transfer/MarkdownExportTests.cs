using System.IO.Compression;
using System.Net;
using Hearth.Server.Chats.Transfer;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats.Transfer;

public abstract class MarkdownExportTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task TheMarkdownZipHoldsAFilePerChatWithItsFilesBesideIt()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var zipIn = Path.Combine(app.DataDir, "chatgpt.zip");
        ChatGptExport.WriteZip(zipIn);
        await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(zipIn, ada.Id, false, null, default);
        var other = await ChatDocs.CreateIdAsync(ada, "A/b: c?");

        var zipOut = Path.Combine(app.DataDir, "chats.zip");
        await using (var stream = File.Create(zipOut))
        {
            Assert.Equal(2, await app.Services.GetRequiredService<MarkdownExporter>().ExportAsync(ada.Id, stream, null, default));
        }
        var chat = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray()
            .Single(c => c!["title"]!.GetValue<string>() == "Proofing the dough")!;
        var folder = $"Proofing the dough-{chat["id"]!.GetValue<string>()[..8]}";
        using var zip = ZipFile.OpenRead(zipOut);
        Assert.Equal(
            new[] { $"A_b_ c_-{other[..8]}.md", $"{folder}.md", $"{folder}/5f1c2d.png", $"{folder}/9d1e.webp", $"{folder}/jar.png", $"{folder}/rise.csv" }.Order(),
            zip.Entries.Select(e => e.FullName).Order());
        Assert.Equal(ChatGptExport.Upload, Bytes(zip.GetEntry($"{folder}/jar.png")!));
        Assert.Equal(ChatGptExport.Csv, Bytes(zip.GetEntry($"{folder}/rise.csv")!));

        var markdown = new StreamReader(zip.GetEntry($"{folder}.md")!.Open()).ReadToEnd();
        Assert.StartsWith("# Proofing the dough\n\n### User · 2024-04-02 23:20 UTC\n\nHow far has this risen?\n\n- ![jar.png](Proofing%20the%20dough-", markdown);
        Assert.Contains("### Assistant (o3) · 2024-04-02 23:20 UTC\n\n<details type=\"reasoning\"", markdown);
        Assert.Contains($"- [rise.csv]({folder.Replace(" ", "%20")}/rise.csv)", markdown);
        Assert.Contains("### Assistant (gpt-4o)", markdown);
        Assert.Contains("Here is your loaf.", markdown);
    }

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task OneChatDownloadsAsMarkdownForItsOwnerOnly()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var id = (await ChatDocs.CreateAsync(ada, ChatDocs.Conversation("Fox facts", 2)))["id"]!.GetValue<string>();

        var response = await ada.Client.GetAsync($"/api/v1/chats/{id}/markdown");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"Fox facts-{id[..8]}.md", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("# Fox facts\n\n### User · 2023-11-14 22:13 UTC\n\nQuestion 0 about the quick brown fox\n\n### Assistant (llama3)", text);
        Assert.Contains("Answer 1", text);

        var refused = await bob.Client.GetAsync($"/api/v1/chats/{id}/markdown");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.NotNull((await Json.ReadAsync(refused, 401))!["detail"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ada.Client.GetAsync("/api/v1/chats/nope/markdown")).StatusCode);
    }
}

public sealed class MarkdownExportTestsOnSqlite() : MarkdownExportTests(DatabaseKind.Sqlite);
public sealed class MarkdownExportTestsOnPostgres() : MarkdownExportTests(DatabaseKind.Postgres);
