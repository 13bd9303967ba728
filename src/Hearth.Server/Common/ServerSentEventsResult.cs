using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Hearth.Server.Common;

/// <summary>
/// An <see cref="IResult"/> that answers with Server-Sent Events written by <paramref name="write"/>; a route returning
/// it is described in the OpenAPI document as answering 200 <c>text/event-stream</c>.
/// </summary>
internal sealed class ServerSentEventsResult(Func<ServerSentEvents, Task> write) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var events = ServerSentEvents.Start(httpContext);
        await write(events);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new EventStreamAnswer());

    private sealed class EventStreamAnswer : IProducesResponseTypeMetadata
    {
        public Type? Type => typeof(string);
        public int StatusCode => StatusCodes.Status200OK;
        public string? Description => "Server-Sent Events, until the client leaves or the server stops.";
        public IEnumerable<string> ContentTypes { get; } = ["text/event-stream"];
    }
}
