using System.Net.Http.Json;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Hosting;

/// <summary>
/// U+0000 cannot be stored in PostgreSQL's text (error 22021). A string member of a body, or a query
/// parameter, that holds one is a FastAPI-shaped 422 on both databases, and nothing is written.
/// </summary>
public abstract class NulCharacterTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private const string NulMessage = "Value error, the text holds U+0000 (NUL), which no string may hold";

    private static async Task<long> CountAsync(HearthApp app, string table)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    internal static async Task AssertNulRefusedAsync(HttpResponseMessage response, params object[] loc)
    {
        var issue = await Json.AssertValidationErrorAsync(response);
        Assert.Equal("value_error", issue["type"]!.GetValue<string>());
        Assert.Equal(NulMessage, issue["msg"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(loc), issue["loc"]!.ToJsonString());
    }

    [Fact]
    public async Task SignupAndSigninWithNulAnswer422AndWriteNothing()
    {
        await using var app = await StartAsync();
        var client = app.Client();
        await AssertNulRefusedAsync(await client.PostAsync("/api/v1/auths/signup",
            Json.Raw("""{"name": "Ada\u0000", "email": "ada@example.com", "password": "pw"}""")), "body", "name");
        await AssertNulRefusedAsync(await client.PostAsync("/api/v1/auths/signup",
            Json.Raw("""{"name": "Ada", "email": "ada\u0000@example.com", "password": "pw"}""")), "body", "email");
        Assert.Equal(0, await CountAsync(app, "users"));

        var ada = await app.SignUpAsync("Ada");
        await AssertNulRefusedAsync(await client.PostAsync("/api/v1/auths/signin",
            Json.Raw("""{"email": "ada@example.com\u0000", "password": "correct horse"}""")), "body", "email");
        await AssertNulRefusedAsync(await ada.Client.PostAsync("/api/v1/auths/update/profile",
            Json.Raw("""{"name": "A\u0000da"}""")), "body", "name");
        Assert.Equal(1, await CountAsync(app, "auth_sessions"));
    }

    [Fact]
    public async Task FolderAndTagNamesWithNulAnswer422AndWriteNothing()
    {
        var app = shared.App;
        var ada = await shared.NewUserAsync("Ada", "admin");
        var chat = await ChatDocs.CreateIdAsync(ada, "Tagged");
        var (folders, tagRows) = (await CountAsync(app, "folders"), await CountAsync(app, "tags"));
        await AssertNulRefusedAsync(await ada.Client.PostAsync("/api/v1/folders/", Json.Raw("""{"name": "Work\u0000"}""")), "body", "name");
        await AssertNulRefusedAsync(await ada.Client.PostAsync($"/api/v1/chats/{chat}/tags", Json.Raw("""{"name": "x\u0000y"}""")), "body", "name");
        Assert.Equal(folders, await CountAsync(app, "folders"));
        Assert.Equal(tagRows, await CountAsync(app, "tags"));
        var tags = await Json.ReadAsync(await ada.Client.GetAsync($"/api/v1/chats/{chat}/tags"), 200);
        Assert.Empty(tags!.AsArray());
    }

    [Fact]
    public async Task AnUploadNamingAMessageWithNulAnswers422AndStoresNothing()
    {
        var app = shared.App;
        var ada = await shared.NewUserAsync("Ada", "admin");
        var chat = await ChatDocs.CreateIdAsync(ada, "Upload");
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("hello"u8.ToArray()), "file", "a.txt" },
            { new StringContent("a0\u0000"), "message_id" },
        };
        var files = await CountAsync(app, "artifact_files");
        await AssertNulRefusedAsync(await ada.Client.PostAsync($"/api/conversations/{chat}/artifacts", form), "body", "message_id");
        Assert.Equal(files, await CountAsync(app, "artifact_files"));
    }

    [Fact]
    public async Task ChatDocumentsStillHaveNulStrippedAsInOpenWebUi()
    {
        var ada = await shared.NewUserAsync("Ada", "admin");
        var imported = await Json.ReadAsync(await ada.Client.PostAsync("/api/v1/chats/import", Json.Raw(
            """{"chats": [{"chat": {"title": "t\u0000", "history": {"messages": {}}}, "meta": {"tags": ["a\u0000b"]}}]}""")), 200);
        Assert.Equal("t", imported![0]!["title"]!.GetValue<string>());
    }
}

public sealed class NulCharacterTestsOnSqlite(SharedApp.OnSqlite shared)
    : NulCharacterTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class NulCharacterTestsOnPostgres(SharedApp.OnPostgres shared)
    : NulCharacterTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;

/// <summary>
/// A NUL in a query parameter is refused while binding, before any store is asked: nothing here differs by database,
/// so it runs once, on SQLite.
/// </summary>
public sealed class NulQueryParameterTests(SharedApp.OnSqlite shared) : IClassFixture<SharedApp.OnSqlite>
{
    [Theory]
    [InlineData("/api/artifacts?q=%00", "q")]
    [InlineData("/api/v1/chats/search?text=a%00b", "text")]
    [InlineData("/api/v1/users/?query=%00", "query")]
    [InlineData("/api/v1/chats/?page=1&x%00y=1", "xy")]
    [InlineData("/artifacts?q=%00", "q")]
    public async Task NulInAQueryParameterAnswers422(string url, string name)
    {
        await NulCharacterTests.AssertNulRefusedAsync(await shared.Ada.Client.GetAsync(url), "query", name);
    }
}
