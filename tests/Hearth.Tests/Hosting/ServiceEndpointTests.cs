using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>Health, on both databases (<c>/health/db</c> asks the database), and the default profile image.</summary>
public abstract class ServiceEndpointTests(DatabaseKind kind) : HearthTest(kind)
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/health/db")]
    public async Task HealthAnswersAsOpenWebUiDoes(string path)
    {
        await using var app = await StartAsync();
        var response = await app.Client().GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDefaultProfileImageIsServed()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var me = await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/auths/"), 200);
        var image = await app.Client().GetAsync(me["profile_image_url"]!.GetValue<string>());
        Assert.Equal(200, (int)image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        var bytes = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
    }
}

public sealed class ServiceEndpointTestsOnSqlite() : ServiceEndpointTests(DatabaseKind.Sqlite);
public sealed class ServiceEndpointTestsOnPostgres() : ServiceEndpointTests(DatabaseKind.Postgres);
