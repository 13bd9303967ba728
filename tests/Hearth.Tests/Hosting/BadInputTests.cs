using Dapper;
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
        Assert.Equal("body", issue["loc"]![0]!.GetValue<string>());
        Assert.Equal(users, await UserCount(app));
    }

    [Fact]
    public async Task AMissingFieldNamesItsLocation()
    {
        await using var app = await StartAsync();
        var issue = await Json.AssertValidationErrorAsync(await app.Client().PostAsync("/api/v1/auths/signin",
            Json.Raw("""{"email": "a@example.com"}""")));
        Assert.Equal("password", issue["loc"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEmptyBodyAnswers422()
    {
        await using var app = await StartAsync();
        await Json.AssertValidationErrorAsync(await app.Client().PostAsync("/api/v1/auths/signup", Json.Raw("")));
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
        await using var app = await StartAsync();
        var response = await app.Client().PostAsync("/api/v1/auths/signup", Json.Raw("name=a", "application/x-www-form-urlencoded"));
        Assert.Equal(415, (int)response.StatusCode);
        Assert.NotNull((await Json.ReadObjectAsync(response, 415))["detail"]);
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAnswerWithADetail()
    {
        await using var app = await StartAsync();
        await Json.AssertDetailAsync(await app.Client().GetAsync("/api/v1/nothing-here"), 404, "Not Found");
        await Json.AssertDetailAsync(await app.Client().PutAsync("/api/v1/auths/signin", Json.Raw("{}")), 405, "Method Not Allowed");
    }

    [Fact]
    public async Task AQueryValueOfTheWrongTypeAnswers422()
    {
        await using var app = await StartAsync();
        var admin = await app.SignUpAsync("Ada");
        var issue = await Json.AssertValidationErrorAsync(await admin.Client.GetAsync("/api/v1/users/?page=abc"));
        Assert.Equal("query", issue["loc"]![0]!.GetValue<string>());
        Assert.Equal("page", issue["loc"]![1]!.GetValue<string>());
    }
}

public sealed class BadInputTestsOnSqlite(SharedApp.OnSqlite shared) : BadInputTests(DatabaseKind.Sqlite, shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class BadInputTestsOnPostgres(SharedApp.OnPostgres shared) : BadInputTests(DatabaseKind.Postgres, shared), IClassFixture<SharedApp.OnPostgres>;
