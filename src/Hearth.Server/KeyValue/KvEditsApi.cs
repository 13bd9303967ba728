using System.Text;
using System.Text.Json;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.KeyValue;

/// <summary>
/// Edits beyond the seed: PATCH <c>/api/artifacts/value</c> (RFC 7386 or RFC 6902, chosen by Content-Type)
/// and POST <c>/api/artifacts/batch</c>, each applied in one transaction on the stored value.
/// </summary>
internal static class KvEditsApi
{
    public const string MergePatchType = "application/merge-patch+json";
    public const string JsonPatchType = "application/json-patch+json";

    public static async Task<Results<Ok<StoreKvResponse>, KvOrNullResult, JsonHttpResult<KvNotFoundBody>,
        JsonHttpResult<KvConflictBody>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Patch(
        string key, CurrentUser caller, HttpRequest http, KvStore store, IOptions<KvOptions> options,
        CancellationToken cancellationToken, string scope = KvScopes.Personal)
    {
        List<ValidationIssue> issues = [.. KvRules.CheckAddress(scope, key, "query")];
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var mediaType = MediaTypeHeaderValue.TryParse(http.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (mediaType is not (MergePatchType or JsonPatchType))
        {
            return Errors.Status(StatusCodes.Status415UnsupportedMediaType, ErrorMessages.ArtifactPatchMediaType);
        }
        var (edit, problem) = await ReadPatchAsync(http, mediaType, options.Value.MaxPatchOperations, cancellationToken);
        if (edit is null)
        {
            return KvRules.Invalid([problem!]);
        }
        var condition = KvPrecondition.From(http.Headers.IfMatch, http.Headers.IfNoneMatch, null);
        var write = new PatchWrite(KvAddress.For(scope, key, caller.Id), condition, edit);
        var outcome = await store.WriteAsync([write], caller.Id, cancellationToken);
        return outcome.Status switch
        {
            WriteStatus.Written => KvAnswers.Saved(http.HttpContext.Response, outcome),
            WriteStatus.PreconditionFailed => KvAnswers.PreconditionFailed(outcome),
            WriteStatus.NotFound => KvAnswers.NotFound(),
            WriteStatus.PatchConflict => KvAnswers.Conflict(outcome),
            WriteStatus.PatchedToNull => KvAnswers.PatchedToNull(outcome),
            _ => KvAnswers.TooLarge(outcome),
        };
    }

    private static async Task<(IValuePatch? Edit, ValidationIssue? Problem)> ReadPatchAsync(HttpRequest http, string mediaType,
        int maxOperations, CancellationToken cancellationToken)
    {
        // Kestrel's MAX_REQUEST_BODY_SIZE still applies: reading past it throws, which answers 413.
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        System.Text.Json.Nodes.JsonNode? document;
        try
        {
            document = ValuePatch.ParseDocument(text);
        }
        catch (JsonException e)
        {
            return (null, JsonUnicode.IsNotUnicode(e) ? JsonUnicode.Issue(["body"])
                : new ValidationIssue("json_invalid", ["body"], ErrorMessages.ArtifactPatchNotJson, null));
        }
        if (mediaType == MergePatchType)
        {
            return (new MergePatchEdit(document), null);
        }
        var edit = ValuePatch.FromJsonPatch(document, ["body"], maxOperations, out var issue);
        return (edit, issue);
    }

    public static async Task<Results<Ok<KvBatchResponse>, JsonHttpResult<KvBatchFailure>, JsonHttpResult<ValidationErrorBody>>> Batch(
        KvBatchRequest request, CurrentUser caller, KvStore store, IOptions<KvOptions> options,
        CancellationToken cancellationToken)
    {
        var (writes, issues) = KvBatchReader.Read(request, caller.Id, options.Value);
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var outcome = await store.WriteAsync(writes, caller.Id, cancellationToken);
        if (!outcome.Succeeded)
        {
            var current = outcome.Status is WriteStatus.PreconditionFailed or WriteStatus.PatchConflict && outcome.Current is not null
                ? KvResponse.From(outcome.Current)
                : null;
            return TypedResults.Json(
                new KvBatchFailure(false, ErrorMessages.ArtifactBatchFailed(outcome.FailedIndex, outcome.Detail!), outcome.FailedIndex, current),
                statusCode: KvAnswers.Status(outcome.Status));
        }
        return TypedResults.Ok(new KvBatchResponse(true, outcome.Written.Select(w => new KvBatchResult(
            w.Write.Op, w.Row.Key, w.Row.Scope, w.Deleted ? null : KvResponse.From(w.Row))).ToList()));
    }
}
