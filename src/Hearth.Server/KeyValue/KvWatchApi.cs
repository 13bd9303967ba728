using System.Text.Json;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Hearth.Server.Storage;
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

    public static async Task<Results<ServerSentEventsResult, JsonHttpResult<ValidationErrorBody>, JsonHttpResult<ErrorBody>>> Watch(
        CurrentUser caller, KvChangeFeed feed, PostgresNotifications notifications, IOptions<KvOptions> options, HttpContext http,
        CancellationToken cancellationToken,
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
        // Released with the response on every path: a 503, a cancelled wait, a stream that ends or never starts.
        http.Response.RegisterForDispose(subscription);
        if (!await notifications.WaitUntilListeningAsync(LiveTimeout, cancellationToken))
        {
            return Errors.Status(StatusCodes.Status503ServiceUnavailable, ErrorMessages.ArtifactWatchUnavailable);
        }
        return KvEventStream.For(subscription, TimeSpan.FromSeconds(options.Value.WatchHeartbeatSeconds));
    }
}

/// <summary>
/// Writes one subscription's changes as <c>data:</c> events until the client leaves or the server stops; the route
/// releases the subscription with the response.
/// </summary>
internal static class KvEventStream
{
    public static ServerSentEventsResult For(KvSubscription subscription, TimeSpan heartbeat) => new(async events =>
    {
        await events.CommentAsync("watching");
        await events.PumpAsync(subscription.Changes,
            change => events.DataAsync(JsonSerializer.SerializeToUtf8Bytes(KvChangeEvent.From(change), JsonSettings.Wire)), heartbeat);
    });
}
