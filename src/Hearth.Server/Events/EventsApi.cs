using System.Text;
using Hearth.Server.Auth;

namespace Hearth.Server.Events;

/// <summary>GET <c>/api/events</c>: the signed-in user's events as Server-Sent Events, in Open WebUI's envelope.</summary>
internal static class EventsApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapEvents(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/events", Stream).RequireAuthorization().WithTags("Events").WithName("EventStream");

    public static async Task Stream(HttpContext http, CurrentUser caller, EventBus bus)
    {
        var (id, reader) = bus.Subscribe(caller.Id);
        try
        {
            var response = http.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
            // A first comment line, so clients (and tests) know the subscription is live.
            await response.WriteAsync(": connected\n\n", http.RequestAborted);
            await response.Body.FlushAsync(http.RequestAborted);
            while (!http.RequestAborted.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                wait.CancelAfter(KeepAlive);
                string text;
                try
                {
                    var item = await reader.ReadAsync(wait.Token);
                    text = $"event: events\ndata: {item.Envelope}\n\n";
                }
                catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                {
                    text = ": keep-alive\n\n";
                }
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), http.RequestAborted);
                await response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            bus.Unsubscribe(id);
        }
    }
}
