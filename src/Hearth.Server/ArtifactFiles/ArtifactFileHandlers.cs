using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Server.ArtifactFiles;

/// <summary>One artifact: download or preview, upload, delete, and a signed URL for embedding.</summary>
internal static class ArtifactFileHandlers
{
    /// <summary>Room for the multipart envelope around a file of the largest allowed size.</summary>
    private const long FormOverhead = 1024 * 1024;

    public static async Task<IResult> Download(
        string id, string artifactId, HttpContext http, ArtifactFileAccess access, ArtifactFileStore store, ArtifactFileKeeper files,
        ArtifactFileLinks links, Audit.AdminChatReads adminReads, CancellationToken cancellationToken, bool? inline = null, string? exp = null,
        string? by = null, string? sig = null)
    {
        ArtifactFileRow? row;
        // A signed URL acts for its issuer as they are now: the same rule as the issuer's own signing.
        if (sig is not null && await links.VerifyAsync(id, artifactId, exp, by, sig, cancellationToken) is { } issuer
            && await access.ResolveAsync(id, issuer, write: true, cancellationToken) is { } signed)
        {
            adminReads.Saw(issuer, signed.Chat);
            row = await store.GetAsync(signed.Chat.Id, artifactId, cancellationToken);
        }
        else
        {
            var caller = CurrentUser.From(http.User);
            if (await access.ResolveAsync(id, caller, write: false, cancellationToken) is not { } grant)
            {
                return ArtifactFileListHandlers.Refusal(caller).Result;
            }
            row = await store.GetAsync(grant.Chat.Id, artifactId, cancellationToken);
            row = row is not null && ArtifactFileAccess.Covers(grant, row) ? row : null;
        }
        if (row is null)
        {
            return Errors.NotFound();
        }
        var content = await files.OpenAsync(row, cancellationToken);
        return content is null
            ? Errors.NotFound(ErrorMessages.ArtifactFileMissing)
            : await ArtifactFileResponses.ServeAsync(http, row, content, inline == true, cancellationToken);
    }

    public static async Task<Results<Ok<ArtifactFileItem>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Upload(
        string id, HttpContext http, CurrentUser caller, ArtifactFileAccess access, ArtifactFileKeeper files, IOptions<FileStorageOptions> options,
        CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(id, caller, write: true, cancellationToken) is not { } grant)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        var limit = options.Value.MaxFileSize;
        // A declared length already over the limit is refused before a byte of the body is read
        // (with Expect: 100-continue the client then never sends it).
        if (http.Request.ContentLength > limit + FormOverhead)
        {
            return Errors.Status(StatusCodes.Status413PayloadTooLarge, ErrorMessages.ArtifactTooLarge(limit));
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit + FormOverhead;
        }
        if (!http.Request.HasFormContentType)
        {
            return MissingFile();
        }
        IFormCollection form;
        try
        {
            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limit + FormOverhead }));
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || IsOverLength(e))
        {
            return Errors.Status(StatusCodes.Status413PayloadTooLarge, ErrorMessages.ArtifactTooLarge(limit));
        }
        catch (InvalidDataException)
        {
            // Any other unreadable form, such as a part header broken by a line break in its file name.
            return Errors.BadRequest(ErrorMessages.MalformedMultipart);
        }
        if (form.Files.GetFile("file") is not { } file)
        {
            return MissingFile();
        }
        var messageId = form["message_id"].ToString();
        // The one form field read into a query: the JSON converter's rule for U+0000 applies here by hand.
        if (messageId.Contains('\0'))
        {
            return TypedResults.Json(new ValidationErrorBody([JsonUnicode.NulIssue(["body", "message_id"])]),
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        await using var content = file.OpenReadStream();
        var result = await files.StoreAsync(grant.Chat, messageId.Length == 0 ? null : messageId, file.FileName, file.ContentType, content,
            cancellationToken);
        if (result.TooLarge is { } detail)
        {
            return Errors.Status(StatusCodes.Status413PayloadTooLarge, detail);
        }
        if (result.ChatGone)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        return result.Row is { } row
            ? TypedResults.Ok(ArtifactFileItem.From(WithTitle(row, grant)))
            : Errors.Invalid("message_id", ErrorMessages.UnknownMessageOfConversation, messageId);
    }

    /// <summary>
    /// The form reader reports its length limit and a malformed part with the same exception type; only the
    /// message tells them apart.
    /// </summary>
    private static bool IsOverLength(Exception e) =>
        e is InvalidDataException && e.Message.StartsWith("Multipart body length limit", StringComparison.Ordinal);

    private static ArtifactFileRow WithTitle(ArtifactFileRow row, ConversationGrant grant)
    {
        row.ChatTitle = grant.Chat.Title;
        return row;
    }

    private static JsonHttpResult<ValidationErrorBody> MissingFile() =>
        TypedResults.Json(new ValidationErrorBody([new ValidationIssue("missing", ["body", "file"], ErrorMessages.Missing, null)]),
            statusCode: StatusCodes.Status422UnprocessableEntity);

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Delete(
        string id, string artifactId, CurrentUser caller, ArtifactFileAccess access, ArtifactFileKeeper files, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(id, caller, write: true, cancellationToken) is not { } grant)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        return await files.DeleteAsync(grant.Chat.Id, artifactId, cancellationToken) ? TypedResults.Ok(true) : Errors.NotFound();
    }

    public static async Task<Results<Ok<SignedUrlResponse>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> SignedUrl(
        string id, string artifactId, HttpContext http, CurrentUser caller, ArtifactFileAccess access, ArtifactFileStore store, ArtifactFileLinks links,
        Hosting.PublicAddress address, CancellationToken cancellationToken, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "expires_in")] int? expiresIn = null)
    {
        if (expiresIn is < 1 or > ArtifactFileLinks.MaxSeconds)
        {
            return Errors.InvalidQuery("expires_in", ErrorMessages.SignedUrlLifetime(ArtifactFileLinks.MaxSeconds), expiresIn);
        }
        if (await access.ResolveAsync(id, caller, write: true, cancellationToken) is not { } grant)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        if (await store.GetAsync(grant.Chat.Id, artifactId, cancellationToken) is null)
        {
            return Errors.NotFound();
        }
        if (await links.SignAsync(grant.Chat.Id, artifactId, expiresIn ?? ArtifactFileLinks.DefaultSeconds, caller, cancellationToken)
            is not var (url, expires))
        {
            return Errors.Unauthorized(ErrorMessages.InvalidToken);
        }
        return TypedResults.Ok(new SignedUrlResponse(address.Url(http.Request, url),
            expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
