using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Auth;

/// <summary>
/// Password guessing is refused with 429 before the password is checked: per account from one address,
/// per address over all accounts, per account over all addresses. Several loopback addresses (127.0.0.x)
/// stand for several clients.
/// </summary>
public abstract class SigninRateLimitTests(DatabaseKind kind) : HearthTest(kind)
{
    private const string Invalid = "The email or password provided is incorrect. Please check for typos and try logging in again.";
    private const string Limited = "API rate limit exceeded";

    [Fact]
    public async Task TheSixteenthAttemptOnAnAccountAnswers429EvenWithTheRightPasswordAndOtherAccountsStillSignIn()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        await app.AddUserAsync(ada, "Bob");
        var client = app.Client();
        for (var attempt = 1; attempt <= 15; attempt++)
        {
            await Json.AssertDetailAsync(await SignIn(client, "ada@example.com", $"guess {attempt}"), 400, Invalid);
        }

        var refused = await SignIn(client, "ada@example.com", "guess 16");
        Assert.True(refused.Headers.RetryAfter is not null, "a 429 says when to retry");
        await Json.AssertDetailAsync(refused, 429, Limited);
        // The right password is not even checked, and the e-mail is counted as sign-in looks it up.
        await Json.AssertDetailAsync(await SignIn(client, "ada@example.com", ada.Password), 429, Limited);
        await Json.AssertDetailAsync(await SignIn(client, "  ADA@Example.com", ada.Password), 429, Limited);

        await Json.ReadObjectAsync(await SignIn(client, "bob@example.com", "correct horse"), 200);
    }

    [Fact]
    public async Task OneAddressCannotLockAnAccountForOthersButManyAddressesTogetherAreLimited()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        // Four attackers use up their own allowance on Ada's account; she still signs in from her own address.
        for (var attacker = 2; attacker <= 5; attacker++)
        {
            using var client = ClientFrom(app, $"127.0.0.{attacker}");
            for (var attempt = 1; attempt <= 15; attempt++)
            {
                await Json.AssertDetailAsync(await SignIn(client, "ada@example.com", $"guess {attempt}"), 400, Invalid);
            }
            await Json.AssertDetailAsync(await SignIn(client, "ada@example.com", ada.Password), 429, Limited);
        }
        using var own = ClientFrom(app, "127.0.0.9");
        // 60 attempts from four addresses fill the account's window over all addresses.
        await Json.AssertDetailAsync(await SignIn(own, "ada@example.com", ada.Password), 429, Limited);
        // Other accounts are not.
        await Json.AssertDetailAsync(await SignIn(own, "nobody@example.com", "guess"), 400, Invalid);
    }

    [Fact]
    public async Task OneAddressSprayingManyAccountsIsLimitedAfterSixtyAttempts()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        using var sprayer = ClientFrom(app, "127.0.0.2");
        for (var account = 1; account <= 60; account++)
        {
            await Json.AssertDetailAsync(await SignIn(sprayer, $"user{account}@example.com", "password1"), 400, Invalid);
        }
        await Json.AssertDetailAsync(await SignIn(sprayer, "ada@example.com", ada.Password), 429, Limited);
        using var other = ClientFrom(app, "127.0.0.3");
        await Json.ReadObjectAsync(await SignIn(other, "ada@example.com", ada.Password), 200);
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/v1/auths/signin", new { email, password });

    /// <summary>A client whose connections come from <paramref name="source"/>, one of the loopback addresses.</summary>
    private static HttpClient ClientFrom(HearthApp app, string source) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = app.BaseAddress };
}

// On SQLite only: the counts live in the Hearth process, not in the database.
public sealed class SigninRateLimitTestsOnSqlite() : SigninRateLimitTests(DatabaseKind.Sqlite);
