using System.Text;

namespace Hearth.Server.Completions;

/// <summary>
/// Copies a model server's event stream to the client as it arrives, whole lines at a time: when the model
/// server's stream breaks off, what the client has is whole lines, and the error event that ends it
/// (<see cref="OpenAiErrors.StreamEvent"/>) is read as an event of its own, never glued to half a line.
/// </summary>
internal static class SseRelay
{
    private const int BufferBytes = 64 * 1024;

    /// <exception cref="IOException">The model server's stream broke off (everything before the break's line was sent).</exception>
    public static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferBytes];
        var held = 0;
        int read;
        while ((read = await from.ReadAsync(buffer.AsMemory(held), cancellationToken)) > 0)
        {
            var end = held + read;
            var lineEnd = Array.LastIndexOf(buffer, (byte)'\n', end - 1, end) + 1;
            if (lineEnd == 0 && end < buffer.Length)
            {
                // Half a line: kept until its end arrives.
                held = end;
                continue;
            }
            // A line longer than the buffer goes on in pieces.
            var send = lineEnd == 0 ? end : lineEnd;
            await to.WriteAsync(buffer.AsMemory(0, send), cancellationToken);
            await to.FlushAsync(cancellationToken);
            held = end - send;
            Array.Copy(buffer, send, buffer, 0, held);
        }
        if (held > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, held), cancellationToken);
        }
    }

    /// <summary>Ends a stream with an error event and <c>[DONE]</c>; the blank line first ends any event left open.</summary>
    public static Task FailAsync(Stream to, int status, string message, CancellationToken cancellationToken) =>
        to.WriteAsync(Encoding.UTF8.GetBytes($"\ndata: {OpenAiErrors.StreamEvent(status, message)}\n\ndata: [DONE]\n\n"), cancellationToken).AsTask();
}
