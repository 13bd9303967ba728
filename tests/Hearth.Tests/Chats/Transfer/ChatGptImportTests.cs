using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Chats.Transfer;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats.Transfer;

public abstract class ChatGptImportTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task EveryContentTypeOfAChatGptZipIsKeptInItsMessage()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var zip = Path.Combine(app.DataDir, "chatgpt.zip");
        ChatGptExport.WriteZip(zip);
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(zip, ada.Id, false, null, default);
        Assert.Equal((1, 0, 0), (summary.Imported, summary.Skipped, summary.MissingFiles));
        Assert.Empty(summary.Problems);

        var chat = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray().Single()!;
        var id = chat["id"]!.GetValue<string>();
        Assert.Equal(ChatGptExport.Created, chat["created_at"]!.GetValue<long>());
        Assert.Equal(ChatGptExport.Created + 600, chat["updated_at"]!.GetValue<long>()); // attaching files is not activity

        // One message per turn: the tool nodes and intermediate steps live inside the assistant's message.
        var messages = chat["chat"]!["history"]!["messages"]!.AsObject();
        Assert.Equal(["u1", "a1", "u2", "d1"], messages.Select(p => p.Key));
        Assert.Equal("a1", ChatGptExport.Message(chat, "u2")["parentId"]!.GetValue<string>());
        Assert.Equal(["u2"], ChatGptExport.Message(chat, "a1")["childrenIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("d1", chat["chat"]!["history"]!["currentId"]!.GetValue<string>());
        Assert.Equal(["u1", "a1", "u2", "d1"], chat["chat"]!["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));

        var answer = ChatGptExport.Message(chat, "a1");
        var content = answer["content"]!.GetValue<string>();
        Assert.Equal("o3", answer["model"]!.GetValue<string>());
        var reasoning = content.IndexOf("<details type=\"reasoning\" done=\"true\" duration=\"7\">\n<summary>Thought for 7 seconds</summary>\n> Reading the jar\n> \n> The band is at the start.\n> It doubled.\n</details>", StringComparison.Ordinal);
        var code = content.IndexOf("<details type=\"code_interpreter\" done=\"true\" output=\"{&quot;stdout&quot;:&quot;4&quot;}\">\n<summary>Analyzed</summary>\n```python\nprint(2 * 2)\n```\n</details>", StringComparison.Ordinal);
        var browse = content.IndexOf("<details type=\"tool_calls\" done=\"true\" id=\"a4\" name=\"web.run\" arguments=\"&quot;{\\&quot;query\\&quot;: \\&quot;proofing temperature\\&quot;}&quot;\" result=\"&quot;King Arthur\\n\\nIdeal proofing is 24-26 °C.&quot;\" files=\"\" embeds=\"\">\n<summary>Tool Executed</summary>\n</details>", StringComparison.Ordinal);
        var fenced = content.IndexOf("```javascript\nconsole.log(`rise`)\n```", StringComparison.Ordinal);
        var text = content.IndexOf("It has doubled. [Download the log](/api/conversations/" + id + "/artifacts/", StringComparison.Ordinal);
        Assert.True(reasoning >= 0 && code > reasoning && browse > code && fenced > browse && text > fenced, content);
        Assert.DoesNotContain("sandbox:", content);
        Assert.DoesNotContain("Thought for 7s", content);

        var drawing = ChatGptExport.Message(chat, "d1");
        Assert.StartsWith("<details type=\"tool_calls\" done=\"true\" id=\"d1\" name=\"dalle.text2im\" arguments=\"&quot;{\\&quot;prompt\\&quot;: \\&quot;a proud loaf\\&quot;}&quot;\"", drawing["content"]!.GetValue<string>());
        Assert.EndsWith("</details>\nHere is your loaf.", drawing["content"]!.GetValue<string>());
        Assert.Equal(ChatGptExport.Created + 40, drawing["timestamp"]!.GetValue<long>());
        // A message without create_time takes the conversation's time, not 1970.
        Assert.Equal(ChatGptExport.Created, ChatGptExport.Message(chat, "u2")["timestamp"]!.GetValue<long>());

        // The files are the conversation's artifact files, attached to their messages, byte for byte.
        await AssertFilesAsync(ada, ChatGptExport.Message(chat, "u1"), [("jar.png", "image", ChatGptExport.Upload)]);
        await AssertFilesAsync(ada, answer, [("5f1c2d.png", "image", ChatGptExport.Chart), ("rise.csv", "file", ChatGptExport.Csv)]);
        await AssertFilesAsync(ada, drawing, [("9d1e.webp", "image", ChatGptExport.Dalle)]);
        var listed = (await Json.ReadAsync(await ada.Client.GetAsync($"/api/conversations/{id}/artifacts/"), 200))!;
        Assert.Equal(4, listed.AsArray().Count);
    }

    private static async Task AssertFilesAsync(TestUser user, JsonObject message, (string Name, string Type, byte[] Bytes)[] expected)
    {
        var files = message["files"]!.AsArray();
        Assert.Equal(expected.Select(e => (e.Name, e.Type)), files.Select(f => (f!["name"]!.GetValue<string>(), f["type"]!.GetValue<string>())));
        foreach (var (file, (_, _, bytes)) in files.Zip(expected))
        {
            Assert.Equal(bytes, await user.Client.GetByteArrayAsync(file!["url"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task WithoutTheZipTheFilesAreCountedAsMissingAndTheTextStays()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var json = Path.Combine(app.DataDir, "conversations.json");
        await File.WriteAllTextAsync(json, ChatGptExport.ConversationsJson());
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(json, ada.Id, false, null, default);
        Assert.Equal((1, 4), (summary.Imported, summary.MissingFiles));
        var chat = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray().Single()!;
        Assert.Contains("(sandbox:/mnt/data/rise.csv)", ChatGptExport.Message(chat, "a1")["content"]!.GetValue<string>());
        Assert.Null(ChatGptExport.Message(chat, "a1")["files"]);
    }

    [Fact]
    public async Task BrokenEntriesAreNamedByTheExportsOwnFields()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var json = Path.Combine(app.DataDir, "broken.json");
        await File.WriteAllTextAsync(json, """
            [{"title": "no author", "mapping": {"m": {"id": "m", "parent": null, "children": [], "message": {"id": "m", "content": {"parts": ["hi"]}}}}},
             {"title": "bad time", "create_time": "yesterday", "mapping": {}},
             {"title": "no tree", "mapping": []},
             {"title": "fine", "mapping": {}}]
            """);
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(json, ada.Id, false, null, default);
        Assert.Equal(
            ["entry 1: mapping['m'].message has no author.role", "entry 2: 'create_time' is not a number of seconds", "entry 3: 'mapping' is not an object"],
            summary.Problems);
        Assert.Equal(1, summary.Imported);
        // A conversation without any time is dated at the import, never 1970.
        var chat = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray().Single()!;
        Assert.True(chat["created_at"]!.GetValue<long>() > 1_700_000_000);
        Assert.True(chat["chat"]!["timestamp"]!.GetValue<long>() > 1_700_000_000_000);
    }

    [Fact]
    public async Task ImportedTagsAreListedWhetherImportedByCommandOrByTheApi()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var json = Path.Combine(app.DataDir, "owui.json");
        await File.WriteAllTextAsync(json, """[{"chat": {"title": "Bread"}, "meta": {"tags": ["baking", "none"]}}]""");
        await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(json, ada.Id, false, null, default);
        var form = new JsonObject { ["chats"] = new JsonArray(new JsonObject { ["chat"] = new JsonObject { ["title"] = "Soup" }, ["meta"] = new JsonObject { ["tags"] = new JsonArray("winter") } }) };
        await Json.ReadAsync(await ada.Client.PostAsJsonAsync("/api/v1/chats/import", form), 200);

        var tags = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all/tags"), 200))!.AsArray();
        Assert.Equal(["baking", "winter"], tags.Select(t => t!["id"]!.GetValue<string>()));
    }
}

public sealed class ChatGptImportTestsOnSqlite() : ChatGptImportTests(DatabaseKind.Sqlite);
public sealed class ChatGptImportTestsOnPostgres() : ChatGptImportTests(DatabaseKind.Postgres);
