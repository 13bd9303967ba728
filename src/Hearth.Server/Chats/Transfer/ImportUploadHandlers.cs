using System.IO.Compression;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// <c>POST /api/v1/chats/import/file</c> (Hearth's own route; Open WebUI's web client converts exports itself and
/// posts <c>/import</c>): the export file as the request body, read by the same <see cref="ChatImporter"/> as the
/// <c>import</c> command, so a ChatGPT, Claude.ai or Open WebUI export imports alike from the app or the command line.
/// A JSON body is imported as it arrives (memory stays bounded); a <c>.zip</c> needs random access, so it is first
/// written to a temporary file that goes away when the request ends.
/// </summary>
internal static class ImportUploadHandlers
{
    public static async Task<Results<Ok<ImportSummary>, JsonHttpResult<ErrorBody>>> Import(HttpContext http, CurrentUser caller,
        ChatAccess access, ChatImporter importer, CancellationToken cancellationToken)
    {
        if (!await access.MayAsync(caller, "chat.import", cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.AccessProhibited);
        }
        var type = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        ImportSummary? summary;
        if (string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            summary = await importer.ImportAsync(http.Request.Body, http.Request.ContentLength ?? 0, caller.Id, false, null, cancellationToken);
        }
        else if (type is not null && (type.Equals("application/zip", StringComparison.OrdinalIgnoreCase)
                                      || type.Equals("application/x-zip-compressed", StringComparison.OrdinalIgnoreCase)))
        {
            await using var copy = await TemporaryCopy.FromAsync(http.Request.Body, cancellationToken);
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(copy, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException)
            {
                return Errors.BadRequest(ErrorMessages.ImportNotAZip);
            }
            using (zip)
            {
                summary = await importer.ImportZipAsync(zip, caller.Id, false, null, cancellationToken);
            }
            if (summary is null)
            {
                return Errors.BadRequest(ErrorMessages.ImportNoConversations);
            }
        }
        else
        {
            return Errors.Status(StatusCodes.Status415UnsupportedMediaType, ErrorMessages.ImportMediaType);
        }
        // Nothing written and the file unreadable or past a limit: an error, naming where it broke.
        return summary switch
        {
            { Imported: 0, TooLarge: true, Problems: [var first, ..] } => Errors.Status(StatusCodes.Status413PayloadTooLarge, first),
            { Imported: 0, Stopped: true, Problems: [var first, ..] } => Errors.BadRequest(first),
            _ => TypedResults.Ok(summary),
        };
    }
}
