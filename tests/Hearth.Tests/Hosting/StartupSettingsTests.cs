using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("WEBUI_AUTH", "maybe")]
    [InlineData("PORT", "99999")]
    [InlineData("JWT_EXPIRES_IN", "forever")]
    [InlineData("DEFAULT_USER_ROLE", "owner")]
    [InlineData("DATABASE_URL", "mysql://localhost/db")]
    [InlineData("ENABLE_SIGNUP", "perhaps")]
    public async Task ABadSettingStopsTheServerWithAMessageNamingIt(string name, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { [name] = value });
        });
        Assert.Contains(name, Flatten(error));
    }

    [Fact]
    public async Task SqliteUrlsPointAtTheGivenFile()
    {
        var folder = Directory.CreateTempSubdirectory("hearth-url-").FullName;
        var file = Path.Combine(folder, "custom.db");
        await using (var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["DATABASE_URL"] = $"sqlite:///{file}" }))
        {
            await app.SignUpAsync("Ada");
        }
        Assert.True(File.Exists(file));
    }

    private static string Flatten(Exception error) =>
        error.InnerException is null ? error.Message : error.Message + " | " + Flatten(error.InnerException) +
            (error is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten)) : "");
}
