using System.Net;
using Dapper;
using Hearth.Server.Storage;
using Hearth.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Pages;

/// <summary>
/// <c>POST /signout</c>, where the pages' Sign out button posts its form: it works with no script at all, ends the
/// session, clears the cookie and lands on sign-in.
/// </summary>
public abstract class SignoutPageTests(SharedApp shared)
{
    [Fact]
    public async Task TheSignOutFormEndsTheSessionClearsTheCookieAndLandsOnSignIn()
    {
        var ada = await shared.NewUserAsync("Ada");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = shared.App.BaseAddress };
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", $"token={ada.Token}");
        var app = await (await browser.SendAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("""<form method="post" action="/signout" class="signout">""", app);

        using var signout = new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = new FormUrlEncodedContent([]) };
        signout.Headers.Add("Cookie", $"token={ada.Token}");
        var response = await browser.SendAsync(signout);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("token=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ada.Client.GetAsync("/api/v1/auths/")).StatusCode);
    }

    [Fact]
    public async Task ASessionTheDatabaseCannotEndIsSaidOnAPageAndTheCookieStillGoes()
    {
        await using var app = await HearthApp.StartAsync(DatabaseKind.Sqlite);
        var ada = await app.SignUpAsync("Ada");
        await using (var connection = await app.Services.GetRequiredService<Database>().OpenAsync(default))
        {
            await connection.ExecuteAsync("CREATE TRIGGER refuse_session_delete BEFORE DELETE ON auth_sessions BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        }
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        using var signout = new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = new FormUrlEncodedContent([]) };
        signout.Headers.Add("Cookie", $"token={ada.Token}");
        var response = await browser.SendAsync(signout);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Sign-out incomplete", await response.Content.ReadAsStringAsync());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("token=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SigningOutWithoutASessionStillLandsOnSignIn()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = shared.App.BaseAddress };
        var response = await browser.PostAsync("/signout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.OriginalString);
    }
}

public sealed class SignoutPageTestsOnSqlite(SharedApp.OnSqlite shared) : SignoutPageTests(shared), IClassFixture<SharedApp.OnSqlite>;
public sealed class SignoutPageTestsOnPostgres(SharedApp.OnPostgres shared) : SignoutPageTests(shared), IClassFixture<SharedApp.OnPostgres>;
