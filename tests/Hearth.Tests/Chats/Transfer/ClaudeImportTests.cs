using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Chats.Transfer;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats.Transfer;

public abstract class ClaudeImportTests(DatabaseKind kind) : HearthTest(kind)
{
    /// <summary>A Claude.ai export's conversations.json with every block type, an attachment, an image and an artifact made then updated.</summary>
    private const string Export = """
        [{
          "uuid": "conv-1", "name": "Plan the garden", "summary": "",
          "created_at": "2025-03-01T09:00:00.000000Z", "updated_at": "2025-03-01T09:30:00.000000Z",
          "account": {"uuid": "acct"},
          "chat_messages": [
            {"uuid": "m1", "sender": "human", "text": "Here are my notes", "created_at": "2025-03-01T09:01:00.000000Z",
             "parent_message_uuid": "00000000-0000-4000-8000-000000000000",
             "content": [{"type": "text", "text": "Here are my notes", "start_timestamp": "2025-03-01T09:01:00Z", "stop_timestamp": "2025-03-01T09:01:00Z"}],
             "attachments": [{"file_name": "beds.txt", "file_size": 21, "file_type": "txt", "extracted_content": "Bed A: tomatoes\nBed B"}],
             "files": [{"file_name": "plot.jpg"}]},
            {"uuid": "m2", "sender": "assistant", "text": "", "created_at": "2025-03-01T09:02:00.000000Z", "parent_message_uuid": "m1",
             "content": [
               {"type": "thinking", "thinking": "Tomatoes need sun.\nBed A faces south.", "summaries": [{"summary": "Checking light"}],
                "start_timestamp": "2025-03-01T09:01:10Z", "stop_timestamp": "2025-03-01T09:01:14Z"},
               {"type": "tool_use", "name": "web_search", "input": {"query": "tomato spacing"}, "id": "toolu_1"},
               {"type": "tool_result", "name": "web_search", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "60 cm apart"}], "is_error": false},
               {"type": "text", "text": "Plant them 60 cm apart. Here is a plan:"},
               {"type": "tool_use", "name": "artifacts", "id": "toolu_2",
                "input": {"id": "plan", "command": "create", "type": "application/vnd.ant.code", "language": "python", "title": "planner", "content": "rows = 3\nprint(rows)"}},
               {"type": "tool_result", "name": "artifacts", "content": [{"type": "text", "text": "OK"}], "is_error": false}
             ]},
            {"uuid": "m3", "sender": "human", "text": "Make it four rows", "parent_message_uuid": "m2",
             "content": [{"type": "text", "text": "Make it four rows"}]},
            {"uuid": "m4", "sender": "assistant", "text": "", "created_at": "2025-03-01T09:04:00.000000Z", "parent_message_uuid": "m3",
             "content": [
               {"type": "tool_use", "name": "artifacts", "input": {"id": "plan", "command": "update", "old_str": "rows = 3", "new_str": "rows = 4"}},
               {"type": "tool_result", "name": "artifacts", "content": [{"type": "text", "text": "Failed"}], "is_error": true},
               {"type": "text", "text": "Done: four rows."}
             ]}
          ]
        }]
        """;

    [Fact]
    public async Task AClaudeExportKeepsThinkingToolsAttachmentsAndArtifacts()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var file = Path.Combine(app.DataDir, "conversations.json");
        await File.WriteAllTextAsync(file, Export);
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(file, ada.Id, false, null, default);
        Assert.Equal((1, 0, 1), (summary.Imported, summary.Skipped, summary.MissingFiles)); // plot.jpg: Claude's exports leave images out
        Assert.Empty(summary.Problems);

        var chat = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray().Single()!;
        Assert.Equal("Plan the garden", chat["title"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T09:00:00Z").ToUnixTimeSeconds(), chat["created_at"]!.GetValue<long>());
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T09:30:00Z").ToUnixTimeSeconds(), chat["updated_at"]!.GetValue<long>());
        var history = chat["chat"]!["history"]!;
        Assert.Equal(["m1", "m2", "m3", "m4"], history["messages"]!.AsObject().Select(p => p.Key));
        Assert.Equal("m4", history["currentId"]!.GetValue<string>());
        Assert.Null(ChatGptExport.Message(chat, "m1")["parentId"]);
        Assert.Equal("m2", ChatGptExport.Message(chat, "m3")["parentId"]!.GetValue<string>());
        // m3 has no created_at: the conversation's time.
        Assert.Equal(chat["created_at"]!.GetValue<long>(), ChatGptExport.Message(chat, "m3")["timestamp"]!.GetValue<long>());

        var answer = ChatGptExport.Message(chat, "m2");
        Assert.Equal("claude.ai", answer["model"]!.GetValue<string>());
        Assert.StartsWith(
            "<details type=\"reasoning\" done=\"true\" duration=\"4\">\n<summary>Thought for 4 seconds</summary>\n> Tomatoes need sun.\n> Bed A faces south.\n</details>\n" +
            "<details type=\"tool_calls\" done=\"true\" id=\"toolu_1\" name=\"web_search\" arguments=\"&quot;{\\&quot;query\\&quot;:\\&quot;tomato spacing\\&quot;}&quot;\" result=\"&quot;60 cm apart&quot;\" files=\"\" embeds=\"\">\n<summary>Tool Executed</summary>\n</details>\n" +
            "Plant them 60 cm apart. Here is a plan:\n" +
            "<details type=\"tool_calls\" done=\"true\" id=\"toolu_2\" name=\"artifacts\" arguments=\"&quot;{\\&quot;id\\&quot;:\\&quot;plan",
            answer["content"]!.GetValue<string>());
        var later = ChatGptExport.Message(chat, "m4")["content"]!.GetValue<string>();
        Assert.Contains("result=\"&quot;Failed&quot;\" files=\"\" embeds=\"\" error=\"true\">", later);
        Assert.EndsWith("</details>\nDone: four rows.", later);

        // The attachment's text and each version of the artifact are files of their messages.
        Assert.Equal(["beds.txt"], Names(ChatGptExport.Message(chat, "m1")));
        Assert.Equal("Bed A: tomatoes\nBed B", await ada.Client.GetStringAsync(Url(ChatGptExport.Message(chat, "m1"))));
        Assert.Equal(["planner.py"], Names(answer));
        Assert.Equal("rows = 3\nprint(rows)", await ada.Client.GetStringAsync(Url(answer)));
        Assert.Equal("rows = 4\nprint(rows)", await ada.Client.GetStringAsync(Url(ChatGptExport.Message(chat, "m4"))));
    }

    private static List<string> Names(JsonObject message) => message["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();

    private static string Url(JsonObject message) => message["files"]!.AsArray().Single()!["url"]!.GetValue<string>();

    [Fact]
    public async Task AnOldLinearClaudeExportAndItsErrorsNameClaudesFields()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var file = Path.Combine(app.DataDir, "conversations.json");
        await File.WriteAllTextAsync(file, """
            [{"uuid": "c", "name": "", "created_at": "2024-01-02T03:04:05Z", "chat_messages": [
               {"uuid": "x1", "sender": "human", "text": "Hi"}, {"uuid": "x2", "sender": "assistant", "text": "Hello!"}]},
             {"uuid": "d", "chat_messages": [{"uuid": "y", "sender": "system", "text": "?"}]},
             {"uuid": "e", "created_at": "last week", "chat_messages": []},
             {"uuid": "f", "chat_messages": {}}]
            """, Encoding.UTF8);
        var summary = await app.Services.GetRequiredService<ChatImporter>().ImportFileAsync(file, ada.Id, false, null, default);
        Assert.Equal(
            ["entry 2: chat_messages[0].sender is neither 'human' nor 'assistant'", "entry 3: 'created_at' is not a date", "entry 4: 'chat_messages' is not a list"],
            summary.Problems);
        var chat = (await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/all?format=json"), 200))!.AsArray().Single()!;
        Assert.Equal("New Chat", chat["title"]!.GetValue<string>());
        Assert.Equal("x1", ChatGptExport.Message(chat, "x2")["parentId"]!.GetValue<string>());
        Assert.Equal("Hello!", ChatGptExport.Message(chat, "x2")["content"]!.GetValue<string>());
        Assert.Equal(["x1", "x2"], chat["chat"]!["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }
}

public sealed class ClaudeImportTestsOnSqlite() : ClaudeImportTests(DatabaseKind.Sqlite);
public sealed class ClaudeImportTestsOnPostgres() : ClaudeImportTests(DatabaseKind.Postgres);
