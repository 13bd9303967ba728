using Hearth.Server.Hosting;
using Hearth.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
    [InlineData("GLOBAL_LOG_LEVEL", "chatty")]
    [InlineData("PASSWORD_VALIDATION_REGEX_PATTERN", "(unclosed")]
    [InlineData("CORS_ALLOW_ORIGIN", "https://app.example.com/path")]
    [InlineData("FORWARDED_ALLOW_IPS", "proxy.local")]
    [InlineData("WEBUI_URL", "chat.example.com")]
    public async Task ABadSettingStopsTheServerWithAMessageNamingIt(string name, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { [name] = value });
        });
        Assert.Contains(name, Flatten(error));
    }

    [Theory]
    [InlineData(null, false, true, false)]
    [InlineData("DEBUG", true, true, true)]
    [InlineData("warning", false, false, false)]
    public async Task LogLevelsKeepPerRequestLinesQuietUnlessAskedFor(string? level, bool requestLines, bool hearthInfo, bool hearthDebug)
    {
        // The logging set-up on its own (the test host turns logging down for every test, so it is not used here).
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["GLOBAL_LOG_LEVEL"] = level;
        builder.AddHearthLogging();
        await using var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        Assert.Equal(requestLines, loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Error));
        Assert.Equal(requestLines, loggers.CreateLogger("Hearth.Server.Auth.HearthAuthentication").IsEnabled(LogLevel.Information));
        Assert.Equal(hearthInfo, loggers.CreateLogger("Hearth.Server.Chats.ChatStore").IsEnabled(LogLevel.Information));
        Assert.Equal(hearthDebug, loggers.CreateLogger("Hearth.Server.Chats.ChatStore").IsEnabled(LogLevel.Debug));
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
