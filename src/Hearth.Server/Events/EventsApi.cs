using Hearth.Server.Auth;
using Hearth.Server.Common;

namespace Hearth.Server.Events;

/// <summary>GET <c>/api/events</c>: the signed-in user's events as Server-Sent Events, in Open WebUI's envelope.</summary>
internal static class EventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void MapEvents(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/events", Stream).RequireAuthorization().WithTags("Events").WithName("EventStream");

    public static ServerSentEventsResult Stream(CurrentUser caller, EventBus bus) => new(async events =>
    {
        var (id, reader) = bus.Subscribe(caller.Id);
        try
        {
            // A first comment, so clients (and tests) know the subscription is live.
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
