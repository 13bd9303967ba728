using System.Buffers.Text;
using System.Text;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.KeyValue;

/// <summary>
/// <c>/api/artifacts</c>: the seed's store, get, list and delete (artifacts-kv.md), for users and admins.
/// The personal scope is always the caller's own: no route takes another user's id.
/// </summary>
internal static class KvApi
{
    public static RouteGroupBuilder MapArtifactsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/artifacts").WithTags("Artifacts").RequireAuthorization();
        group.MapPost("/store", Store).WithName("StoreArtifact").WithSummary("Store a value under a key (personal or shared scope)").Answers<KvResponse>(StatusCodes.Status412PreconditionFailed);
        group.MapGet("/get", Get).WithName("GetArtifact").WithSummary("Read the value under a key").Produces(StatusCodes.Status404NotFound);
        group.MapGet("/list", List).WithName("ListArtifacts").WithSummary("List keys in a scope, by prefix, paged");
        group.MapDelete("/delete", Delete).WithName("DeleteArtifact").WithSummary("Delete a key").Answers(404).Answers<KvResponse>(StatusCodes.Status412PreconditionFailed);
        group.MapPatch("/value", KvEditsApi.Patch).WithName("PatchArtifact").WithSummary("Change a value with JSON Patch or JSON Merge Patch").Answers(404, 409, 413, 415).Answers<KvResponse>(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/batch", KvEditsApi.Batch).WithName("BatchArtifacts").WithSummary("Several writes in one transaction").Answers<KvBatchFailure>(404, 409, 412, 413);
        group.MapGet("/watch", KvWatchApi.Watch).WithName("WatchArtifacts").WithSummary("Stream changes to a key, prefix or scope (Server-Sent Events)").Answers(503);
        return group;
    }

    public static async Task<Results<Ok<StoreKvResponse>, KvOrNullResult, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Store(
        StoreKvRequest request, CurrentUser caller, HttpRequest http, KvStore store, CancellationToken cancellationToken)
    {
        List<ValidationIssue> issues = [
            .. KvRules.CheckAddress(request.Scope, request.Key, "body"),
            .. KvRules.CheckValue(request.Value, "body"),
            .. KvRules.CheckExpectedVersion(request.ExpectedVersion, "body")];
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var condition = KvPrecondition.From(http.Headers.IfMatch, http.Headers.IfNoneMatch, request.ExpectedVersion);
        var write = new StoreWrite(KvAddress.For(request.Scope, request.Key, caller.Id), condition, request.Value!.Text);
        var outcome = await store.WriteAsync([write], caller.Id, cancellationToken);
        return outcome.Status switch
        {
            WriteStatus.Written => KvAnswers.Saved(http.HttpContext.Response, outcome),
            WriteStatus.PreconditionFailed => KvAnswers.PreconditionFailed(outcome),
            _ => KvAnswers.TooLarge(outcome),
        };
    }

    public static async Task<Results<Ok<KvResponse>, KvOrNullResult, JsonHttpResult<ValidationErrorBody>>> Get(
        string key, CurrentUser caller, HttpResponse response, KvStore store, CancellationToken cancellationToken,
        string scope = KvScopes.Personal)
    {
        List<ValidationIssue> issues = [.. KvRules.CheckAddress(scope, key, "query")];
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var row = await store.GetAsync(KvAddress.For(scope, key, caller.Id), cancellationToken);
        if (row is null)
        {
            return KvAnswers.Missing();
        }
        response.Headers.ETag = KvPrecondition.ETag(row.Version);
        return TypedResults.Ok(KvResponse.From(row));
    }

    /// <summary>A plain array (the seed's shape); the next page's cursor travels in the X-Next-Cursor header.</summary>
    public static async Task<Results<Ok<List<KvResponse>>, JsonHttpResult<ValidationErrorBody>>> List(
        CurrentUser caller, HttpResponse response, KvStore store, CancellationToken cancellationToken,
        string scope = KvScopes.Personal, string? prefix = null, int? limit = null, string? cursor = null, [FromQuery(Name = "include_values")] string? includeValues = null)
    {
        var after = cursor is null ? null : DecodeCursor(cursor);
        var withValues = Flags.Parse(includeValues);
        List<ValidationIssue> issues = [.. KvRules.CheckScope(scope, "query")];
        if (includeValues is not null && withValues is null)
        {
            // Bound as text so the 422 names the query parameter (include_values), not the C# one.
            issues.Add(new ValidationIssue("bool_parsing", ["query", "include_values"], ErrorMessages.ArtifactFlagInvalid, includeValues));
        }
        if (limit is < 1 or > KvOptions.MaxListLimit)
        {
            issues.Add(new ValidationIssue(limit < 1 ? "greater_than_equal" : "less_than_equal", ["query", "limit"],
                limit < 1 ? ErrorMessages.ArtifactLimitTooSmall : ErrorMessages.AtMost(KvOptions.MaxListLimit), limit));
        }
        if (cursor is not null && after is null)
        {
            issues.Add(new ValidationIssue("value_error", ["query", "cursor"], ErrorMessages.ArtifactCursorInvalid, cursor));
        }
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var page = await store.ListAsync(KvAddress.Namespace(scope, caller.Id), prefix, after,
            limit ?? KvOptions.MaxListLimit, withValues ?? false, cancellationToken);
        if (page.More)
        {
            response.Headers["X-Next-Cursor"] = EncodeCursor(page.Rows[^1].Key);
        }
        return TypedResults.Ok(page.Rows.Select(KvResponse.From).ToList());
    }

    /// <summary>The cursor is the page's last key in base64url, which keeps any key header-safe.</summary>
    private static string EncodeCursor(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    private static string? DecodeCursor(string cursor)
    {
        try
        {
            var key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
            return KvRules.IsValidKey(key) ? key : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    public static async Task<Results<Ok<DeleteKvResponse>, JsonHttpResult<KvNotFoundBody>, KvOrNullResult, JsonHttpResult<ValidationErrorBody>>> Delete(
        string key, CurrentUser caller, HttpRequest http, KvStore store, CancellationToken cancellationToken,
        string scope = KvScopes.Personal)
    {
        List<ValidationIssue> issues = [.. KvRules.CheckAddress(scope, key, "query")];
        if (issues.Count > 0)
        {
            return KvRules.Invalid(issues);
        }
        var condition = KvPrecondition.From(http.Headers.IfMatch, http.Headers.IfNoneMatch, null);
        var outcome = await store.WriteAsync([new DeleteWrite(KvAddress.For(scope, key, caller.Id), condition)], caller.Id, cancellationToken);
        return outcome.Status switch
        {
            WriteStatus.Written => TypedResults.Ok(new DeleteKvResponse(true)),
            WriteStatus.PreconditionFailed => KvAnswers.PreconditionFailed(outcome),
            _ => KvAnswers.NotFound(),
        };
    }
}
