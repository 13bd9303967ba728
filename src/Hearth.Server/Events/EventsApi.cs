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
        routes.MapGet("/api/events", Stream).RequireAuthorization().WithTags("Events").WithName("EventStream");

    /// <summary>
    /// The stream says it is live (its first comment) only once events from every process reach it: on PostgreSQL,
    /// once this process listens again after losing its connection, so a client that reconnected and re-read what it
    /// shows misses nothing sent after.
    /// </summary>
    public static async Task<Results<ServerSentEventsResult, JsonHttpResult<ErrorBody>>> Stream(
        CurrentUser caller, EventBus bus, PostgresNotifications notifications, CancellationToken cancellationToken)
    {
        var (id, reader) = bus.Subscribe(caller.Id);
        try
        {
            if (!await notifications.WaitUntilListeningAsync(ListeningTimeout, cancellationToken))
            {
                bus.Unsubscribe(id);
                return Errors.Status(StatusCodes.Status503ServiceUnavailable, ErrorMessages.EventsUnavailable);
            }
        }
        catch (OperationCanceledException)
        {
            bus.Unsubscribe(id);
            throw;
        }
        return new ServerSentEventsResult(async events =>
        {
            try
            {
                await events.CommentAsync("connected");
                while (await events.WaitToReadAsync(reader, Heartbeat))
                {
                    while (reader.TryRead(out var item))
                    {
                        await events.DataAsync(item.Envelope, "events");
                    }
                }
            }
            finally
            {
                bus.Unsubscribe(id);
            }
        });
    }
}
