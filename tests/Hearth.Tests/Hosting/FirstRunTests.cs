using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// A newcomer's first minutes: the start-up banner of the real program (an address a browser opens, the database,
/// the model servers, the first step), and the pages it points at over HTTP.
/// </summary>
public abstract class FirstRunTests(DatabaseKind kind) : HearthTest(kind)
{
    private static HttpClient NoRedirects(HearthApp app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };

    [Fact]
    public async Task TheBannerSaysWhereToGoWhatRunsAndTheFirstStep()
    {
        var data = Directory.CreateTempSubdirectory("hearth-banner-").FullName;
        var port = Ports.Free().ToString(CultureInfo.InvariantCulture);
        var database = Kind == DatabaseKind.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var settings = new Dictionary<string, string?> { ["DATA_DIR"] = data, ["PORT"] = port, ["DATABASE_URL"] = database };
        try
        {
            await using (var fresh = HearthProcess.Start(settings))
            {
                await fresh.WaitForOutputAsync("First step");
                Assert.Contains($"is running: open http://localhost:{port}/ (listening on http://0.0.0.0:{port})", fresh.Output);
                Assert.Contains(Kind == DatabaseKind.Postgres ? "database PostgreSQL 127.0.0.1:" : $"database SQLite {data}/hearth.db", fresh.Output);
                Assert.Contains("Model servers: none. Set OPENAI_API_BASE_URLS (with OPENAI_API_KEYS) or OLLAMA_BASE_URLS", fresh.Output);
                Assert.Contains($"First step: create the admin account at http://localhost:{port}/signup", fresh.Output);
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                var signup = await client.PostAsJsonAsync("/api/v1/auths/signup", new { name = "Ada", email = "ada@example.com", password = "correct horse" });
                Assert.Equal(HttpStatusCode.OK, signup.StatusCode);
            }

            settings["OPENAI_API_BASE_URLS"] = "http://127.0.0.1:9/v1";
            await using var again = HearthProcess.Start(settings);
            await again.WaitForOutputAsync("Model servers: openai-0 http://127.0.0.1:9/v1/");
            Assert.DoesNotContain("First step", again.Output);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task TheRootLeadsToSignUpUntilTheAdminExistsThenToSignIn()
    {
        await using var app = await StartAsync();
        var first = await NoRedirects(app).GetAsync("/");
        Assert.Equal("/signup", first.Headers.Location!.OriginalString);
        var page = await (await NoRedirects(app).GetAsync("/signup")).Content.ReadAsStringAsync();
        Assert.Contains("Create the admin account", page);
        Assert.Contains("data-endpoint=\"/api/v1/auths/signup\"", page);

        await app.SignUpAsync("Ada");
        Assert.Equal("/signin?next=%2F", (await NoRedirects(app).GetAsync("/")).Headers.Location!.OriginalString);
        // Sign-up closed behind the first account: the page says so instead of offering a form that would fail.
        var closed = await NoRedirects(app).GetAsync("/signup");
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Contains("Sign-up is closed", await closed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WhileSignUpIsOpenLaterAccountsAreOfferedTheForm()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["ENABLE_SIGNUP"] = "true" });
        await app.SignUpAsync("Ada");
        var page = await NoRedirects(app).GetAsync("/signup");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Create an account", await page.Content.ReadAsStringAsync());
    }
}

public sealed class FirstRunTestsOnSqlite() : FirstRunTests(DatabaseKind.Sqlite);
public sealed class FirstRunTestsOnPostgres() : FirstRunTests(DatabaseKind.Postgres);
