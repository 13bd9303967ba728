using System.Text.Json.Nodes;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.Features;

namespace Hearth.Server.Completions;

/// <summary>
/// On the routes OpenAI clients call (<see cref="OpenAiErrors.Applies"/>), every JSON error body gets OpenAI's
/// <c>error</c> object beside its <c>detail</c>. Done here, once, around everything that writes error bodies (the
/// handlers, authentication, the exception handler, status-code pages, the request guards), so none of them needs
/// to know which client is asking. Answers below 400 and streams are passed on untouched, as they are written.
/// </summary>
internal static class OpenAiErrorBodies
{
    public static IApplicationBuilder UseOpenAiErrorBodies(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!OpenAiErrors.Applies(context.Request.Path))
            {
                await next(context);
                return;
            }
            var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            var capture = new ErrorCapture(context.Response, original.Stream);
            var wrapped = new StreamResponseBodyFeature(capture, original);
            context.Features.Set<IHttpResponseBodyFeature>(wrapped);
            try
            {
                await next(context);
                // Whatever a writer left in the feature's pipe reaches the capture before it is read.
                await wrapped.CompleteAsync();
            }
            finally
            {
                context.Features.Set(original);
            }
            if (capture.Captured is { } captured)
            {
                await WriteAsync(context.Response, captured, context.RequestAborted);
            }
        });

    private static async Task WriteAsync(HttpResponse response, MemoryStream captured, CancellationToken cancellationToken)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(captured.ToArray());
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = null;
        }
        var bytes = OpenAiErrors.WithError(parsed, response.StatusCode) is { } shaped
            ? System.Text.Encoding.UTF8.GetBytes(shaped.ToJsonString(JsonSettings.Wire))
            : captured.ToArray();
        if (!response.HasStarted)
        {
            response.ContentLength = bytes.Length;
        }
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>
    /// Decides at the first write: an error answer in JSON is kept back to be reshaped, anything else goes straight
    /// through (a stream stays a stream).
    /// </summary>
    private sealed class ErrorCapture(HttpResponse response, Stream inner) : Stream
    {
        private bool _decided;

        public MemoryStream? Captured { get; private set; }

        private Stream Target()
        {
            if (!_decided)
            {
                _decided = true;
                if (response.StatusCode >= 400 && response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    Captured = new MemoryStream();
                }
            }
            return Captured ?? inner;
        }

        public override void Write(byte[] buffer, int offset, int count) => Target().Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Target().WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Target().WriteAsync(buffer, cancellationToken);

        // A flush decides too: one before the first write must not send an error's headers before its body is reshaped.
        public override void Flush()
        {
            if (Target() == inner)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            Target() == inner ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
