using System.Text.Json;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.KeyValue;

/// <summary>
/// An artifact, or JSON <c>null</c>, as the whole body of a 404 (get) or 412 (writes). The built-in JSON
/// results write nothing for null, and the contract wants the literal <c>null</c>.
/// </summary>
internal sealed class KvOrNullResult(int status, KvResponse? artifact) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;
    public KvResponse? Artifact => artifact;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, artifact, JsonSettings.Wire, httpContext.RequestAborted);
    }
}

/// <summary>How the routes answer a store outcome.</summary>
internal static class KvAnswers
{
    public static Ok<StoreKvResponse> Saved(HttpResponse response, WriteOutcome outcome)
    {
        var row = outcome.Written[^1].Row;
        response.Headers.ETag = KvPrecondition.ETag(row.Version);
        return TypedResults.Ok(new StoreKvResponse(true, KvResponse.From(row)));
    }

    public static KvOrNullResult Missing() => new(StatusCodes.Status404NotFound, null);

    public static KvOrNullResult PreconditionFailed(WriteOutcome outcome) =>
        new(StatusCodes.Status412PreconditionFailed, outcome.Current is null ? null : KvResponse.From(outcome.Current));

    public static JsonHttpResult<KvNotFoundBody> NotFound() =>
        TypedResults.Json(new KvNotFoundBody(false, ErrorMessages.ArtifactNotFound), statusCode: StatusCodes.Status404NotFound);

    public static JsonHttpResult<KvConflictBody> Conflict(WriteOutcome outcome) =>
        TypedResults.Json(new KvConflictBody(outcome.Detail!, outcome.Current is null ? null : KvResponse.From(outcome.Current)),
            statusCode: StatusCodes.Status409Conflict);

    public static JsonHttpResult<ErrorBody> TooLarge(WriteOutcome outcome) =>
        Errors.Status(StatusCodes.Status413PayloadTooLarge, outcome.Detail!);

    public static JsonHttpResult<ValidationErrorBody> PatchedToNull(WriteOutcome outcome) =>
        KvRules.Invalid([new ValidationIssue("value_error", ["body"], outcome.Detail!, null)]);

    /// <summary>The status a refused write answers with, alone or inside a batch.</summary>
    public static int Status(WriteStatus status) => status switch
    {
        WriteStatus.Written => StatusCodes.Status200OK,
        WriteStatus.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        WriteStatus.NotFound => StatusCodes.Status404NotFound,
        WriteStatus.PatchConflict => StatusCodes.Status409Conflict,
        WriteStatus.PatchedToNull => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status413PayloadTooLarge,
    };
}
