using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// The version and the OpenAPI document. One server on SQLite serves them all: the document is built from the routes,
/// the same whatever the database, and reading it changes nothing.
/// </summary>
public sealed class OpenApiDocumentTests(SharedApp.OnSqlite fixture) : IClassFixture<SharedApp.OnSqlite>
{
    [Fact]
    public async Task VersionAndOpenApiDocumentAreServed()
    {
        var version = await Json.ReadObjectAsync(await fixture.App.Client().GetAsync("/api/version"), 200);
        Assert.Matches(@"^\d+\.\d+\.\d+", version["version"]!.GetValue<string>());
        var openapi = await Json.ReadObjectAsync(await fixture.App.Client().GetAsync("/openapi/v1.json"), 200);
        Assert.NotNull(openapi["paths"]!["/api/v1/auths/signin"]);
        Assert.NotNull(openapi["paths"]!["/api/v1/users/{id}"]);
        Assert.Equal("Hearth", openapi["info"]!["title"]!.GetValue<string>());
        Assert.Equal(version["version"]!.GetValue<string>(), openapi["info"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheOpenApiDocumentSaysHowToSignRequests()
    {
        var openapi = await Json.ReadObjectAsync(await fixture.App.Client().GetAsync("/openapi/v1.json"), 200);
        var bearer = openapi["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal(("http", "bearer"), (bearer["type"]!.GetValue<string>(), bearer["scheme"]!.GetValue<string>()));
        Assert.Equal("cookie", openapi["components"]!["securitySchemes"]!["cookie"]!["in"]!.GetValue<string>());
        var completions = openapi["paths"]!["/api/chat/completions"]!["post"]!["security"]!.AsArray();
        Assert.Contains(completions, requirement => requirement!.AsObject().ContainsKey("bearer"));
        Assert.Contains(completions, requirement => requirement!.AsObject().ContainsKey("cookie"));
        Assert.Null(openapi["paths"]!["/api/v1/auths/signin"]!["post"]!["security"]);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheErrorsEachRouteAnswers()
    {
        var paths = (await Json.ReadObjectAsync(await fixture.App.Client().GetAsync("/openapi/v1.json"), 200))["paths"]!;
        List<string> Statuses(string path, string method) => paths[path]![method]!["responses"]!.AsObject().Select(r => r.Key).Order().ToList();
        Assert.Equal(["200", "401", "403", "414", "422", "431", "500"], Statuses("/api/v1/chats/{id}", "get"));
        Assert.Equal(["200", "401", "403", "404", "413", "414", "415", "422", "431", "500"], Statuses("/api/v1/chats/new", "post"));
        Assert.Equal(["200", "400", "413", "414", "415", "422", "429", "431", "500"], Statuses("/api/v1/auths/signin", "post"));
        var notFound = paths["/api/v1/chats/{id}"]!["get"]!["responses"]!["401"]!["content"]!["application/json"]!["schema"]!;
        var invalid = paths["/api/v1/chats/new"]!["post"]!["responses"]!["422"]!["content"]!["application/json"]!["schema"]!;
        Assert.NotEqual(notFound.ToJsonString(), invalid.ToJsonString());
        // What the document promises is what the route answers: an unknown chat is 401 "not found", as upstream.
        await Json.AssertDetailAsync(await fixture.Ada.Client.GetAsync($"/api/v1/chats/{Guid.NewGuid()}"), 401, Hearth.Server.Common.ErrorMessages.NotFound);
        await Json.AssertDetailAsync(await fixture.App.Client().GetAsync($"/api/v1/chats/{Guid.NewGuid()}"), 403, Hearth.Server.Common.ErrorMessages.NotAuthenticated);
    }

    [Fact]
    public async Task EveryOperationInTheOpenApiDocumentSaysWhatItAnswersOnSuccess()
    {
        // Handlers that return a bare IResult leave the document without a success answer unless the route declares it.
        var paths = (await Json.ReadObjectAsync(await fixture.App.Client().GetAsync("/openapi/v1.json"), 200))["paths"]!.AsObject();
        var silent = paths.SelectMany(path => path.Value!.AsObject()
                .Where(operation => !operation.Value!["responses"]!.AsObject().Any(r => r.Key[0] is '2' or '3'))
                .Select(operation => $"{operation.Key} {path.Key}"))
            .ToList();
        Assert.True(silent.Count == 0, "No success answer documented: " + string.Join(", ", silent));
    }

    [Fact]
    public async Task EveryOperationInTheOpenApiDocumentHasASummary()
    {
        var paths = (await Json.ReadObjectAsync(await fixture.App.Client().GetAsync("/openapi/v1.json"), 200))["paths"]!.AsObject();
        var unnamed = paths.SelectMany(path => path.Value!.AsObject()
                .Where(operation => string.IsNullOrWhiteSpace(operation.Value!["summary"]?.GetValue<string>()))
                .Select(operation => $"{operation.Key} {path.Key}"))
            .ToList();
        Assert.True(unnamed.Count == 0, $"{unnamed.Count} operations without a summary: " + string.Join(", ", unnamed));
    }

    [Theory]
    [InlineData("/api/v1/chats/", "/api/v1/chats")]
    [InlineData("/api/models/{**id}", "/api/models/{id}")]
    [InlineData("/api/v1/chats/{id:minlength(1)}/tags", "/api/v1/chats/{id}/tags")]
    [InlineData("/", "/")]
    public void TheAnswerCheckReadsRoutePatternsAsTheDocumentWritesPaths(string pattern, string path)
    {
        // Were a pattern read differently, its route would be missing from the document and go unchecked.
        Assert.Equal(path, DocumentedAnswers.PathOf(pattern));
    }
}
