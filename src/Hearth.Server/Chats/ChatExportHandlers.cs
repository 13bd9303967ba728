using System.Text.Json;
using Hearth.Server.Auth;
using Hearth.Server.Common;

namespace Hearth.Server.Chats;

/// <summary>/all, /all/archived and /all/db: whole chats written out as they are read, in bounded memory.</summary>
internal static class ChatExportHandlers
{
    /// <summary>
    /// Open WebUI 0.11 streams this one as NDJSON, always; Hearth does too unless <c>?format=json</c> asks for the
    /// classic JSON array (upstream offers no way to ask, and its clients send <c>Accept: application/json</c>
    /// whatever they expect, so the header cannot choose).
    /// </summary>
    public static IResult All(CurrentUser caller, ChatQueries queries, CancellationToken cancellationToken, string? format = null) =>
        Stream(queries.StreamAsync(new ChatFilter(caller.Id), cancellationToken),
            string.Equals(format, "json", StringComparison.OrdinalIgnoreCase) ? null : "ndjson");

    public static IResult AllArchived(CurrentUser caller, ChatQueries queries, CancellationToken cancellationToken, string? format = null) =>
        Stream(queries.StreamAsync(new ChatFilter(caller.Id) { Archived = true }, cancellationToken), format);

    /// <summary>Every row, share snapshots included: admins only, and only while ENABLE_ADMIN_EXPORT is on.</summary>
    public static IResult AllInDatabase(ChatQueries queries, ChatAccess access, CancellationToken cancellationToken, string? format = null) =>
        access.AdminExport
            ? Stream(queries.StreamAsync(null, cancellationToken), format)
            : Errors.Unauthorized(ErrorMessages.AccessProhibited);

    /// <summary>A JSON array (the classic contract) or, with <c>?format=ndjson</c>, one chat per line.</summary>
    private static IResult Stream(IAsyncEnumerable<ChatResponse> chats, string? format) =>
        string.Equals(format, "ndjson", StringComparison.OrdinalIgnoreCase)
            ? new NdjsonResult<ChatResponse>(chats, null)
            : TypedResults.Ok(chats);
}

/// <summary>Writes one JSON document per line, flushing as it goes, so nothing is buffered whole.</summary>
internal sealed class NdjsonResult<T>(IAsyncEnumerable<T> items, string? attachmentName) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/x-ndjson";
        if (attachmentName is not null)
        {
            response.Headers.ContentDisposition = $"attachment; filename={attachmentName}";
        }
        var options = httpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
            .Value.SerializerOptions;
        var count = 0;
        await foreach (var item in items.WithCancellation(httpContext.RequestAborted))
        {
            await JsonSerializer.SerializeAsync(response.Body, item, options, httpContext.RequestAborted);
            await response.Body.WriteAsync("\n"u8.ToArray(), httpContext.RequestAborted);
            if (++count % 10 == 0)
            {
                await response.Body.FlushAsync(httpContext.RequestAborted);
            }
        }
    }
}
