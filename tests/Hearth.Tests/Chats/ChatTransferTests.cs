using System.IO.Compression;
using System.Text.Json.Nodes;
using Hearth.Server.Chats.Transfer;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats;

public abstract class ChatTransferTests(DatabaseKind kind) : HearthTest(kind)
{
    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Chats", "Fixtures", "chatgpt-conversations.json");

    [Fact]
    public async Task AChatGptExportImportsWithEveryBranchAndSkipsTheBrokenEntry()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(Fixture, ada.Id, stopOnError: false, null, default);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(1, summary.Skipped);
        Assert.Contains("entry 2", Assert.Single(summary.Problems));

        var list = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        var chat = list.Single(c => c!["title"]!.GetValue<string>() == "Sourdough help")!;
        Assert.Equal(1712000000, chat["created_at"]!.GetValue<long>());
        Assert.Equal(1712000900, chat["updated_at"]!.GetValue<long>());
        var messages = chat["chat"]!["history"]!["messages"]!.AsObject();
        Assert.Equal(["n1", "n2", "n3", "n4", "n5"], messages.Select(p => p.Key));
        Assert.Null(messages["n1"]!["parentId"]);
        Assert.Equal(["n2", "n3"], messages["n1"]!["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("n3", messages["n4"]!["parentId"]!.GetValue<string>());
        Assert.Equal("What about this jar?", messages["n4"]!["content"]!.GetValue<string>());
        Assert.Equal("gpt-4o-mini", messages["n3"]!["model"]!.GetValue<string>());
        Assert.Equal(1712000020, messages["n2"]!["timestamp"]!.GetValue<long>());
        Assert.Equal("n5", chat["chat"]!["history"]!["currentId"]!.GetValue<string>());
        Assert.Equal(["n1", "n3", "n4", "n5"], chat["chat"]!["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));

        // Imported chats are searchable like any other.
        Assert.Equal(["Sourdough help"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/search?text=too%20cold")));
    }

    [Fact]
    public async Task StopOnErrorStopsAtTheBrokenEntryKeepingWholeChatsOnly()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(Fixture, ada.Id, stopOnError: true, null, default);
        Assert.True(summary.Stopped);
        Assert.Equal(1, summary.Imported);
        Assert.Equal(["Sourdough help"], await ChatDocs.TitlesAsync(await ada.Client.GetAsync("/api/v1/chats/")));
    }

    [Fact]
    public async Task TheExportZipIsReadAndInvalidJsonStopsWithAPosition()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var zipPath = Path.Combine(app.DataDir, "export.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(Fixture, "export/conversations.json");
        }
        var importer = app.Services.GetRequiredService<ChatImporter>();
        Assert.Equal(2, (await importer.ImportFileAsync(zipPath, ada.Id, false, null, default)).Imported);

        var broken = Path.Combine(app.DataDir, "broken.json");
        await File.WriteAllTextAsync(broken, """[{"chat": {"title": "fine"}}, {"chat": {"title": """);
        var summary = await importer.ImportFileAsync(broken, ada.Id, false, null, default);
        Assert.True(summary.Stopped);
        Assert.Contains("entry 2", summary.Problems.Single());
        Assert.Equal(1, summary.Imported);
    }

    [Fact]
    public async Task AnOpenWebUiExportRoundTrips()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var doc = ChatDocs.Conversation("Round trip", 3);
        doc["custom"] = new JsonObject { ["kept"] = true };
        var id = (await ChatDocs.CreateAsync(ada, doc))["id"]!.GetValue<string>();
        await ada.Client.PostAsync($"/api/v1/chats/{id}/pin", null).SucceedsAsync();
        var archived = await ChatDocs.CreateIdAsync(ada, "Archived one");
        await ada.Client.PostAsync($"/api/v1/chats/{archived}/archive", null).SucceedsAsync();

        var file = Path.Combine(app.DataDir, "owui.json");
        await using (var stream = File.Create(file))
        {
            Assert.Equal(2, await app.Services.GetRequiredService<ChatExporter>().ExportAsync(ada.Id, stream, null, default));
        }
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
        var fromApi = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        Assert.True(JsonNode.DeepEquals(fromApi, exported));

        var bob = await app.AddUserAsync(ada, "Bob");
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(file, bob.Id, false, null, default);
        Assert.Equal(2, summary.Imported);
        var imported = (await Json.ReadAsync(await bob.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray();
        var trip = imported.Single(c => c!["title"]!.GetValue<string>() == "Round trip")!;
        Assert.True(JsonNode.DeepEquals(doc, trip["chat"]));
        Assert.True(trip["pinned"]!.GetValue<bool>());
        Assert.True(imported.Single(c => c!["title"]!.GetValue<string>() == "Archived one")!["archived"]!.GetValue<bool>());
    }
}

public sealed class ChatTransferTestsOnSqlite() : ChatTransferTests(DatabaseKind.Sqlite);
public sealed class ChatTransferTestsOnPostgres() : ChatTransferTests(DatabaseKind.Postgres);
