using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using Hearth.Server.Common;

namespace Hearth.Server.KeyValue;

/// <summary>
/// POST /api/artifacts/store. <c>value</c> is required and may be any JSON value except null; <c>scope</c> left out
/// is <c>personal</c>, as in Claude's <c>window.storage</c>.
/// </summary>
internal sealed record StoreKvRequest(string Key, RawJson? Value, string Scope = KvScopes.Personal, long? ExpectedVersion = null);

/// <summary>
/// The artifact object of the contract. <c>value</c> is left out of listings made without
/// <c>include_values</c> (it is never null otherwise: null values are refused).
/// </summary>
internal sealed record KvResponse(
    string Key,
    string Scope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RawJson? Value,
    long Version,
    long Size,
    string CreatedAt,
    string UpdatedAt,
    string UpdatedBy)
{
    public static KvResponse From(KvRow row) =>
        new(row.Key, row.Scope, row.Value is null ? null : new RawJson(row.Value), row.Version, row.Size,
            Timestamp(row.CreatedAt), Timestamp(row.UpdatedAt), row.UpdatedBy);

    /// <summary>
    /// ISO-8601 in UTC with milliseconds, e.g. 2024-03-02T10:00:00.000Z (Python's fromisoformat reads it). Built from
    /// the sortable format, which the runtime writes on a fast path, and the milliseconds: a custom format string is
    /// interpreted anew each time, and every read of an artifact formats two of these.
    /// </summary>
    public static string Timestamp(long unixMilliseconds)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;
        Span<char> text = stackalloc char[24];
        time.TryFormat(text, out _, "s", CultureInfo.InvariantCulture);
        var milliseconds = time.Millisecond;
        text[19] = '.';
        text[20] = (char)('0' + milliseconds / 100);
        text[21] = (char)('0' + milliseconds / 10 % 10);
        text[22] = (char)('0' + milliseconds % 10);
        text[23] = 'Z';
        return new string(text);
    }
}

internal sealed record StoreKvResponse(bool Success, KvResponse Artifact);

internal sealed record DeleteKvResponse(bool Success);

/// <summary>The contract's 404 for delete: <c>{"success": false, "detail": "Artifact not found"}</c>.</summary>
internal sealed record KvNotFoundBody(bool Success, string Detail);

/// <summary>A patch that does not fit the stored value (409): why, and the value it was tried on.</summary>
internal sealed record KvConflictBody(string Detail, KvResponse? Artifact);

/// <summary>POST /api/artifacts/batch.</summary>
internal sealed record KvBatchRequest(IReadOnlyList<KvBatchOperation> Operations);

/// <summary>
/// One batch operation: <c>store</c> needs <c>value</c>; <c>patch</c> needs <c>patch</c> (a JSON Patch array) or
/// <c>merge_patch</c> (a JSON Merge Patch); every operation may carry <c>expected_version</c>; <c>scope</c> left out is <c>personal</c>.
/// </summary>
internal sealed record KvBatchOperation(
    string Op, string Key, string Scope = KvScopes.Personal, RawJson? Value = null, long? ExpectedVersion = null,
    JsonNode? Patch = null, JsonNode? MergePatch = null);

/// <summary>What one operation left: the artifact after a store or patch, null after a delete.</summary>
internal sealed record KvBatchResult(string Op, string Key, string Scope, KvResponse? Artifact);

internal sealed record KvBatchResponse(bool Success, IReadOnlyList<KvBatchResult> Results);

/// <summary>Why a batch wrote nothing: the first failing operation's index, and its artifact where that helps (412, 409).</summary>
internal sealed record KvBatchFailure(bool Success, string Detail, int Index, KvResponse? Artifact);

/// <summary>One event of the watch stream.</summary>
internal sealed record KvChangeEvent(string Key, string Scope, long Version, string UpdatedAt, string UpdatedBy, bool Deleted)
{
    public static KvChangeEvent From(KvChange change) =>
        new(change.Key, change.Scope, change.Version, KvResponse.Timestamp(change.UpdatedAt), change.UpdatedBy, change.Deleted);
}
