using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Chats;

/// <summary>Bad chat input is refused and writes nothing; tests that need no settings of their own share one server.</summary>
public abstract class ChatBadInputTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private static async Task<(long Chats, long Messages)> Counts(HearthApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        return (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chats"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chat_messages"));
    }

    [Theory]
    [InlineData("/api/v1/chats/new", "{\"chat\": ")]
    [InlineData("/api/v1/chats/new", "{\"chat\": \"not an object\"}")]
    [InlineData("/api/v1/chats/new", "{\"chat\": [1, 2]}")]
    [InlineData("/api/v1/chats/new", "{\"folder_id\": null}")]
    [InlineData("/api/v1/chats/new", "{\"chat\": {}, \"folder_id\": 5}")]
    [InlineData("/api/v1/chats/import", "{\"chats\": {\"chat\": {}}}")]
    [InlineData("/api/v1/chats/import", "{\"chats\": [{\"chat\": {}, \"pinned\": \"yes\"}]}")]
    [InlineData("/api/v1/chats/import", "{\"chats\": [{\"chat\": {}}, {\"meta\": {}}]}")]
    [InlineData("/api/v1/chats/{id}", "{\"chat\": null}")]
    [InlineData("/api/v1/chats/{id}/tags", "{\"name\": 5}")]
    [InlineData("/api/v1/chats/{id}/messages/m", "{\"content\": {\"x\": 1}}")]
    [InlineData("/api/v1/chats/{id}/messages/m/event", "{\"type\": \"replace\", \"data\": \"text\"}")]
    [InlineData("/api/v1/chats/{id}/clone", "")]
    [InlineData("/api/v1/chats/tags", "{\"name\": \"x\", \"skip\": \"none\"}")]
    // Half a surrogate pair parses as JSON but cannot be stored or written back.
    [InlineData("/api/v1/chats/new", "{\"chat\": {\"title\": \"\\ud800\"}}")]
    [InlineData("/api/v1/chats/import", "{\"chats\": [{\"chat\": {\"title\": \"ok\"}}, {\"chat\": {\"history\": {\"messages\": {\"m\": {\"content\": \"\\udc00\"}}}}}]}")]
    [InlineData("/api/v1/chats/{id}", "{\"chat\": {\"title\": \"x\\ud83d\"}}")]
    [InlineData("/api/v1/chats/new", "{\"chat\": {\"title\": \"a\", \"title\": \"b\"}}")]
    public async Task MalformedBodiesAnswer422AndWriteNothing(string path, string body)
    {
        var (app, ada) = (shared.App, shared.Ada);
        var id = await ChatDocs.CreateIdAsync(ada, "Existing", 1);
        var before = await Counts(app);
        var chatBefore = (await ChatDocs.GetAsync(ada, id)).ToJsonString();
        await Json.AssertValidationErrorAsync(await ada.Client.PostAsync(path.Replace("{id}", id), Json.Raw(body)));
        Assert.Equal(before, await Counts(app));
        Assert.Equal(chatBefore, (await ChatDocs.GetAsync(ada, id)).ToJsonString());
    }

    [Fact]
    public async Task AnOversizedChatAnswers413AndWritesNothing()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["MAX_REQUEST_BODY_SIZE"] = "65536" });
        var ada = await app.SignUpAsync("Ada");
        var doc = ChatDocs.Conversation("Huge", 1);
        doc["history"]!["messages"]!["a0"]!["content"] = new string('x', 100_000);
        var response = await ada.Client.PostAsync("/api/v1/chats/new", Json.Raw($$"""{"chat": {{doc.ToJsonString()}}}"""));
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal((0L, 0L), await Counts(app));
    }

    [Fact]
    public async Task BadQueryValuesAnswer422()
    {
        var ada = shared.Ada;
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/v1/chats/?page=first"));
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/v1/chats/search?text=x&page=two"));
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/v1/chats/?include_pinned=maybe"));
        await Json.AssertValidationErrorAsync(await ada.Client.GetAsync("/api/v1/chats/stats/export?updated_at=yesterday"));
    }

    [Fact]
    public async Task AnImportWithAForeignFolderIsRefusedWhole()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var bob = await app.AddUserAsync(ada, "Bob");
        var bobs = await FolderTests.CreateFolderAsync(bob, "Bob's");
        var response = await ada.Client.PostAsync("/api/v1/chats/import", Json.Raw(
            $$$"""{"chats": [{"chat": {"title": "ok"}}, {"chat": {"title": "bad"}, "folder_id": "{{{bobs}}}"}]}"""));
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal((0L, 0L), await Counts(app));
    }
}

public sealed class ChatBadInputTestsOnSqlite(SharedApp.OnSqlite shared)
    : ChatBadInputTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class ChatBadInputTestsOnPostgres(SharedApp.OnPostgres shared)
    : ChatBadInputTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
