using Dapper;
using Hearth.Server.Common;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Hosting;

public abstract class BadInputTests(DatabaseKind kind, SharedApp shared) : HearthTest(kind)
{
    private static async Task<long> UserCount(HearthApp app)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
    }

    [Theory]
    [InlineData("{\"name\": \"A\", \"email\": ", "json_invalid")]
    [InlineData("{\"name\": \"A\", \"email\": 5, \"password\": \"pw\"}", "type_error")]
    [InlineData("{\"name\": \"A\", \"email\": null, \"password\": \"pw\"}", "type_error")]
    [InlineData("{\"name\": \"A\", \"password\": \"pw\"}", "missing")]
    [InlineData("[1, 2, 3]", "type_error")]
    public async Task SignupWithABadBodyAnswers422AndWritesNothing(string body, string type)
    {
        var app = shared.App;
        var users = await UserCount(app);
        var issue = await Json.AssertValidationErrorAsync(await app.Client().PostAsync("/api/v1/auths/signup", Json.Raw(body)));
        Assert.Equal(type, issue["type"]!.GetValue<string>());
        Assert.Equal(type switch { "json_invalid" => ErrorMessages.JsonInvalid, "type_error" => ErrorMessages.WrongType, _ => ErrorMessages.Missing },
            issue["msg"]!.GetValue<string>());
        Assert.Equal("body", issue["loc"]![0]!.GetValue<string>());
        Assert.Equal(users, await UserCount(app));
    }

    // The error handler reads some of ASP.NET Core's and System.Text.Json's messages (no type tells these cases
    // apart): each case below pins one, so a framework update that rewords it fails here, not in a client.
    [Fact]
    public async Task AMissingFieldNamesItsLocation()
    {
        var issue = await Json.AssertValidationErrorAsync(await shared.App.Client().PostAsync("/api/v1/auths/signin",
            Json.Raw("""{"email": "a@example.com"}""")));
        Assert.Equal(("missing", "password", ErrorMessages.Missing),
            (issue["type"]!.GetValue<string>(), issue["loc"]![1]!.GetValue<string>(), issue["msg"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnEmptyBodyAnswers422()
    {
        var issue = await Json.AssertValidationErrorAsync(await shared.App.Client().PostAsync("/api/v1/auths/signup", Json.Raw("")));
        Assert.Equal(("missing", "body"), (issue["type"]!.GetValue<string>(), issue["loc"]![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task AMissingQueryParameterIsNamed()
    {
        var user = await shared.NewUserAsync("Searcher");
        var issue = await Json.AssertValidationErrorAsync(await user.Client.GetAsync("/api/v1/chats/search"));
        Assert.Equal(("missing", "query", "text", ErrorMessages.Missing), (issue["type"]!.GetValue<string>(),
            issue["loc"]![0]!.GetValue<string>(), issue["loc"]![1]!.GetValue<string>(), issue["msg"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ABodyOverTheLimitAnswers413AndWritesNothing()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["MAX_REQUEST_BODY_SIZE"] = "2048" });
        var big = $$"""{"name": "{{new string('a', 4096)}}", "email": "a@example.com", "password": "pw"}""";
        var response = await app.Client().PostAsync("/api/v1/auths/signup", Json.Raw(big));
        var body = await Json.ReadObjectAsync(response, 413);
        Assert.Contains("2048", body["detail"]!.GetValue<string>());
        Assert.Equal(0, await UserCount(app));
    }

    [Fact]
    public async Task AWrongContentTypeAnswers415()
    {
        var response = await shared.App.Client().PostAsync("/api/v1/auths/signup", Json.Raw("name=a", "application/x-www-form-urlencoded"));
        Assert.Equal(415, (int)response.StatusCode);
        Assert.NotNull((await Json.ReadObjectAsync(response, 415))["detail"]);
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAnswerWithADetail()
    {
        await Json.AssertDetailAsync(await shared.App.Client().GetAsync("/api/v1/nothing-here"), 404, "Not Found");
        await Json.AssertDetailAsync(await shared.App.Client().PutAsync("/api/v1/auths/signin", Json.Raw("{}")), 405, "Method Not Allowed");
    }

    [Fact]
    public async Task AQueryValueOfTheWrongTypeAnswers422()
    {
        var issue = await Json.AssertValidationErrorAsync(await shared.Ada.Client.GetAsync("/api/v1/users/?page=abc"));
        Assert.Equal(("int_parsing", "query", "page", ErrorMessages.IntParsing), (issue["type"]!.GetValue<string>(),
            issue["loc"]![0]!.GetValue<string>(), issue["loc"]![1]!.GetValue<string>(), issue["msg"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/api/v1/users/?page=1&page=2", "page", "1,2")]
    [InlineData("/api/v1/chats/?page=1&include_pinned=maybe", "include_pinned", "maybe")]
    [InlineData("/api/v1/chats/?page=-", "page", "-")]
    public async Task EveryBadNumberOrFlagIsNamedWithWhatWasSent(string url, string name, string sent)
    {
        var issue = await Json.AssertValidationErrorAsync(await shared.Ada.Client.GetAsync(url));
        Assert.Equal(("query", name, sent), (issue["loc"]![0]!.GetValue<string>(), issue["loc"]![1]!.GetValue<string>(), issue["input"]!.GetValue<string>()));
    }
}

public sealed class BadInputTestsOnSqlite(SharedApp.OnSqlite shared) : BadInputTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class BadInputTestsOnPostgres(SharedApp.OnPostgres shared) : BadInputTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
