using Hearth.Server.Auth;
using Hearth.Server.Common;
using Hearth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Events;

/// <summary>GET <c>/api/events</c>: the signed-in user's events as Server-Sent Events, in Open WebUI's envelope.</summary>
internal static class EventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ListeningTimeout = TimeSpan.FromSeconds(10);

    public static void MapEvents(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/events", Stream).RequireAuthorization().WithTags("Events").WithName("EventStream").WithSummary("Stream the caller's chat events (Server-Sent Events)").Answers(503);

    /// <summary>
    /// The stream says it is live (its first comment) only once events from every process reach it: on PostgreSQL,
    /// once this process listens again after losing its connection, so a client that reconnected and re-read what it
    /// shows misses nothing sent after; and once the other processes have been sent word that this user listens here,
    /// since they send a reply's progress events only where someone listens (one published before the word reaches
    /// them may miss the stream; the next carries the whole text).
    /// </summary>
    public static async Task<Results<ServerSentEventsResult, JsonHttpResult<ErrorBody>>> Stream(
        CurrentUser caller, EventBus bus, PostgresNotifications notifications, HttpContext http, CancellationToken cancellationToken)
    {
        var subscription = bus.Subscribe(caller.Id);
        // Released with the response on every path: a 503, a cancelled wait, a stream that ends or never starts.
        http.Response.RegisterForDispose(subscription);
        if (!await notifications.WaitUntilListeningAsync(ListeningTimeout, cancellationToken)
            || !await AnnouncedAsync(bus, caller.Id, cancellationToken))
        {
            return Errors.Status(StatusCodes.Status503ServiceUnavailable, ErrorMessages.EventsUnavailable);
        }
        return new ServerSentEventsResult(async events =>
        {
            await events.CommentAsync("connected");
            await events.PumpAsync(subscription.Events, item => events.DataAsync(item.Envelope, "events"), Heartbeat);
        });
    }

    private static async Task<bool> AnnouncedAsync(EventBus bus, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await bus.AnnounceAsync(userId).WaitAsync(ListeningTimeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
