using System.Text.Json;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Server.KeyValue;

/// <summary>
/// GET <c>/api/artifacts/watch?scope=&amp;key=</c> (or <c>prefix=</c>, or neither for the whole scope): a
/// Server-Sent Events stream with one <c>data:</c> event per committed change. The first line (a comment)
/// is sent once the subscription is live, so a client knows every later write will reach it.
/// </summary>
internal static class KvWatchApi
{
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(10);

    public static async Task<Results<KvEventStream, JsonHttpResult<ValidationErrorBody>, JsonHttpResult<ErrorBody>>> Watch(
        CurrentUser caller, KvChangeFeed feed, IOptions<KvOptions> options, CancellationToken cancellationToken,
        string scope = KvScopes.Personal, string? key = null, string? prefix = null)
    {
        List<ValidationIssue> issues = [.. key is null ? KvRules.CheckScope(scope, "query") : KvRules.CheckAddress(scope, key, "query")];
        if (key is not null && prefix is not null)
        {
            issues.Add(new ValidationIssue("value_error", ["query", "prefix"], ErrorMessages.ArtifactKeyAndPrefix, prefix));
        }
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var subscription = feed.Subscribe(KvAddress.Namespace(scope, caller.Id), key, prefix);
        try
        {
            if (!await feed.WaitUntilLiveAsync(LiveTimeout, cancellationToken))
            {
                subscription.Dispose();
                return Errors.Status(StatusCodes.Status503ServiceUnavailable, ErrorMessages.ArtifactWatchUnavailable);
            }
        }
        catch (OperationCanceledException)
        {
            subscription.Dispose();
            throw;
        }
        return new KvEventStream(subscription, TimeSpan.FromSeconds(options.Value.WatchHeartbeatSeconds));
    }
}

/// <summary>Writes one subscription's changes as <c>text/event-stream</c> until the client leaves or the server stops.</summary>
internal sealed class KvEventStream(KvSubscription subscription, TimeSpan heartbeat) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var _ = subscription;
        var stopping = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        var response = httpContext.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await WriteAsync(response, ": watching\n\n", stop.Token);
            while (await NextAsync(response, stop.Token))
            {
                while (subscription.Changes.TryRead(out var change))
                {
                    var data = JsonSerializer.Serialize(KvChangeEvent.From(change), JsonSettings.Wire);
                    await response.WriteAsync($"data: {data}\n\n", stop.Token);
                }
                await response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the stream simply ends.
        }
    }

    /// <returns>True when changes are waiting; false when the subscription ended (the client should reconnect).</returns>
    private async Task<bool> NextAsync(HttpResponse response, CancellationToken stop)
    {
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
            idle.CancelAfter(heartbeat);
            try
            {
                return await subscription.Changes.WaitToReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // Quiet for a while: a comment keeps proxies from closing an idle connection.
                await WriteAsync(response, ": heartbeat\n\n", stop);
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
