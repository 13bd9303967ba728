using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;

namespace Hearth.Server.Common;

/// <summary>
/// One Server-Sent Events response, the only writer of <c>text/event-stream</c> in Hearth: the headers that keep
/// proxies from buffering it, events and comments each written and flushed as one piece, and heartbeats while
/// idle. It ends when the client leaves or the server stops (a stream left open would hold a stopping server for
/// the host's whole shutdown timeout); from then on, writes are dropped.
/// </summary>
internal sealed class ServerSentEvents : IDisposable
{
    // A reply streams thousands of events a second: their fixed parts are made once.
    private static readonly byte[] DataHead = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private readonly CancellationTokenSource _ended;
    private bool _disposed;

    private ServerSentEvents(HttpContext http)
    {
        Response = http.Response;
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        Ended = _ended.Token;
    }

    public HttpResponse Response { get; }

    /// <summary>Cancelled once the client has gone, a write failed, or the server is stopping.</summary>
    public CancellationToken Ended { get; }

    /// <summary>Sets the headers; nothing is sent until the first event or comment.</summary>
    public static ServerSentEvents Start(HttpContext http)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return new ServerSentEvents(http);
    }

    /// <summary><c>event: {name}</c> (when named), <c>data: {payload}</c> and the blank line that ends an event.</summary>
    public Task DataAsync(ReadOnlyMemory<byte> payload, string? name = null)
    {
        var head = name is null ? DataHead : Encoding.UTF8.GetBytes($"event: {name}\ndata: ");
        return WriteAsync(head, payload, EventEnd);
    }

    public Task DataAsync(string payload, string? name = null) => DataAsync(Encoding.UTF8.GetBytes(payload), name);

    /// <summary>A comment line, which clients ignore: a first sign of life, or a heartbeat.</summary>
    public Task CommentAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes($": {text}\n\n"), default, default);

    /// <summary>
    /// Waits until <paramref name="reader"/> has items, writing a <c>: heartbeat</c> comment whenever it stays quiet
    /// for <paramref name="heartbeat"/> (so proxies do not close an idle connection).
    /// </summary>
    /// <returns>True when items wait; false when the channel was completed or the stream ended.</returns>
    public async Task<bool> WaitToReadAsync<T>(ChannelReader<T> reader, TimeSpan heartbeat)
    {
        while (!Ended.IsCancellationRequested)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(Ended);
            idle.CancelAfter(heartbeat);
            try
            {
                return await reader.WaitToReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!Ended.IsCancellationRequested)
            {
                await CommentAsync("heartbeat");
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>
    /// Writes each item of <paramref name="reader"/> as it arrives, with heartbeats while it is quiet, until the
    /// channel is completed (its source ended: the client reconnects) or the stream ends.
    /// </summary>
    public async Task PumpAsync<T>(ChannelReader<T> reader, Func<T, Task> write, TimeSpan heartbeat)
    {
        while (await WaitToReadAsync(reader, heartbeat))
        {
            while (reader.TryRead(out var item))
            {
                await write(item);
            }
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> tail)
    {
        if (_disposed || Ended.IsCancellationRequested)
        {
            return;
        }
        try
        {
            var writer = Response.BodyWriter;
            var length = head.Length + payload.Length + tail.Length;
            var span = writer.GetSpan(length);
            head.Span.CopyTo(span);
            payload.Span.CopyTo(span[head.Length..]);
            tail.Span.CopyTo(span[(head.Length + payload.Length)..]);
            writer.Advance(length);
            if ((await writer.FlushAsync(Ended)).IsCompleted)
            {
                await _ended.CancelAsync();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client has gone: so has the stream.
            await CancelQuietlyAsync();
        }
    }

    private async Task CancelQuietlyAsync()
    {
        try
        {
            await _ended.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed with its request.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _ended.Dispose();
    }
}
