using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hearth.Server.Hosting;

/// <summary>
/// Kestrel answers a request line or headers over its limits itself, before any middleware runs, with a
/// bare 414 or 431 that no handler can give a body. So Kestrel's limits are raised to
/// <see cref="KestrelBytes"/> and Hearth applies the usual ones (<see cref="TargetBytes"/>,
/// <see cref="HeaderBytes"/>, Kestrel's defaults) here, answering <c>{"detail": ...}</c>. Only a request
/// past Kestrel's raised limits, or one that is not HTTP at all, still gets Kestrel's bare answer.
/// </summary>
internal static class RequestHeadLimits
{
    public const int TargetBytes = 8 * 1024;
    public const int HeaderBytes = 32 * 1024;
    public const int KestrelBytes = 64 * 1024;

    public static void RaiseKestrelLimits(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = KestrelBytes;
        limits.MaxRequestHeadersTotalSize = KestrelBytes;
    }

    public static IApplicationBuilder UseRequestHeadLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget?.Length ?? 0;
            if (target > TargetBytes)
            {
                await RefuseAsync(context, StatusCodes.Status414UriTooLong, ErrorMessages.UriTooLong(target, TargetBytes));
                return;
            }
            var headers = 0;
            foreach (var (name, values) in context.Request.Headers)
            {
                // As Kestrel counts them: name, ": ", value and CRLF per line.
                foreach (var value in values)
                {
                    headers += name.Length + (value?.Length ?? 0) + 4;
                }
            }
            if (headers > HeaderBytes)
            {
                await RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, ErrorMessages.HeadersTooLarge(headers, HeaderBytes));
                return;
            }
            await next(context);
        });

    private static Task RefuseAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        // The rest of the request is not worth reading.
        context.Response.Headers.Connection = "close";
        return context.Response.WriteAsJsonAsync(new ErrorBody(detail), JsonSettings.Wire, context.RequestAborted);
    }
}
