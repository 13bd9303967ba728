namespace Hearth.Server.Common;

/// <summary>An <see cref="IResult"/> that answers with Server-Sent Events written by <paramref name="write"/>.</summary>
internal sealed class ServerSentEventsResult(Func<ServerSentEvents, Task> write) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var events = ServerSentEvents.Start(httpContext);
        await write(events);
    }
}
