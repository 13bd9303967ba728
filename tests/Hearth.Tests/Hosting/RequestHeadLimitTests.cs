using System.Net;
using System.Net.Sockets;
using System.Text;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// A request line or headers over the usual limits (8 KiB of path and query, 32 KiB of headers) is answered
/// with a <c>detail</c> like every other error, not with a bare status from the server underneath.
/// </summary>
public abstract class RequestHeadLimitTests(DatabaseKind kind) : HearthTest(kind)
{
    [Fact]
    public async Task ALongUrlIs414WithADetail()
    {
        await using var app = await StartAsync();
        var ada = await app.SignUpAsync("Ada");
        var response = await ada.Client.GetAsync("/api/v1/chats/" + new string('x', 10_000));
        var body = await Json.ReadObjectAsync(response, 414);
        Assert.Equal("URI Too Long: the request's path and query are 10014 bytes, over the limit of 8192.", body["detail"]!.GetValue<string>());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        // A long query string is the same.
        await Json.ReadObjectAsync(await ada.Client.GetAsync("/api/v1/chats/?q=" + new string('q', 9000)), 414);
        // Just under the limit is an ordinary request.
        await Json.ReadAsync(await ada.Client.GetAsync("/api/v1/chats/?q=" + new string('q', 8000)), 200);
    }

    [Fact]
    public async Task LargeHeadersAre431WithADetail()
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/version");
        request.Headers.Add("X-Padding", new string('h', 40_000));
        var body = await Json.ReadObjectAsync(await app.Client().SendAsync(request), 431);
        Assert.StartsWith("Request Header Fields Too Large: the request's headers are ", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARawRequestWithALongTargetGetsTheDetailToo()
    {
        // Written by hand, as a client that does not shorten anything would send it.
        await using var app = await StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.BaseAddress.Port);
        await using var stream = client.GetStream();
        var request = $"GET /{new string('p', 20_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 414 ", answer);
        Assert.Contains("{\"detail\":\"URI Too Long:", answer);
    }
}

// On SQLite only: the limits are Kestrel's and are answered before any database work.
public sealed class RequestHeadLimitTestsOnSqlite() : RequestHeadLimitTests(DatabaseKind.Sqlite);
