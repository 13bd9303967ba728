using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

public abstract class ServiceEndpointTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task HealthAnswers200WhenTheDatabaseAnswers()
    {
        await using var app = await StartAsync();
        var response = await app.Client().GetAsync("/health");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VersionAndOpenApiDocumentAreServed()
    {
        await using var app = await StartAsync();
        var version = await Json.ReadObjectAsync(await app.Client().GetAsync("/api/version"), 200);
        Assert.Matches(@"^\d+\.\d+\.\d+", version["version"]!.GetValue<string>());
        var openapi = await Json.ReadObjectAsync(await app.Client().GetAsync("/openapi/v1.json"), 200);
        Assert.NotNull(openapi["paths"]!["/api/v1/auths/signin"]);
        Assert.NotNull(openapi["paths"]!["/api/v1/users/{id}"]);
    }
}

public sealed class ServiceEndpointTestsOnSqlite() : ServiceEndpointTests(DatabaseKind.Sqlite);
public sealed class ServiceEndpointTestsOnPostgres() : ServiceEndpointTests(DatabaseKind.Postgres);
