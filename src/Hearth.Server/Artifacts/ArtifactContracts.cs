using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using Hearth.Server.Common;

namespace Hearth.Server.Artifacts;

/// <summary>
/// A JSON value kept as the exact text the client sent: numbers, member order, escapes and Unicode survive,
/// because nothing parses it into a model and serialises it back.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed record RawJson(string Text);

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        // Kept byte for byte, so it is checked here: a half surrogate pair stored now would fail every later patch.
        JsonUnicode.Check(document.RootElement);
        return new RawJson(document.RootElement.GetRawText());
    }

    /// <summary>Stored text was valid JSON when it came in, so it is written without a second check.</summary>
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}

/// <summary>
/// POST /api/artifacts/store. <c>value</c> is required and may be any JSON value except null; <c>scope</c> left out
/// is <c>personal</c>, as in Claude's <c>window.storage</c>.
/// </summary>
internal sealed record StoreArtifactRequest(string Key, RawJson? Value, string Scope = ArtifactScopes.Personal, long? ExpectedVersion = null);

/// <summary>
/// The artifact object of the contract. <c>value</c> is left out of listings made without
/// <c>include_values</c> (it is never null otherwise: null values are refused).
/// </summary>
internal sealed record ArtifactResponse(
    string Key,
    string Scope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RawJson? Value,
    long Version,
    long Size,
    string CreatedAt,
    string UpdatedAt,
    string UpdatedBy)
{
    public static ArtifactResponse From(ArtifactRow row) =>
        new(row.Key, row.Scope, row.Value is null ? null : new RawJson(row.Value), row.Version, row.Size,
            Timestamp(row.CreatedAt), Timestamp(row.UpdatedAt), row.UpdatedBy);

    /// <summary>ISO-8601 in UTC with milliseconds, e.g. 2024-03-02T10:00:00.000Z (Python's fromisoformat reads it).</summary>
    public static string Timestamp(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

internal sealed record StoreArtifactResponse(bool Success, ArtifactResponse Artifact);

internal sealed record DeleteArtifactResponse(bool Success);

/// <summary>The contract's 404 for delete: <c>{"success": false, "detail": "Artifact not found"}</c>.</summary>
internal sealed record ArtifactNotFoundBody(bool Success, string Detail);

/// <summary>A patch that does not fit the stored value (409): why, and the value it was tried on.</summary>
internal sealed record ArtifactConflictBody(string Detail, ArtifactResponse? Artifact);

/// <summary>POST /api/artifacts/batch.</summary>
internal sealed record ArtifactBatchRequest(IReadOnlyList<ArtifactBatchOperation> Operations);

/// <summary>
/// One batch operation: <c>store</c> needs <c>value</c>; <c>patch</c> needs <c>patch</c> (a JSON Patch array) or
/// <c>merge_patch</c> (a JSON Merge Patch); every operation may carry <c>expected_version</c>; <c>scope</c> left out is <c>personal</c>.
/// </summary>
internal sealed record ArtifactBatchOperation(
    string Op, string Key, string Scope = ArtifactScopes.Personal, RawJson? Value = null, long? ExpectedVersion = null,
    JsonNode? Patch = null, JsonNode? MergePatch = null);

/// <summary>What one operation left: the artifact after a store or patch, null after a delete.</summary>
internal sealed record ArtifactBatchResult(string Op, string Key, string Scope, ArtifactResponse? Artifact);

internal sealed record ArtifactBatchResponse(bool Success, IReadOnlyList<ArtifactBatchResult> Results);

/// <summary>Why a batch wrote nothing: the first failing operation's index, and its artifact where that helps (412, 409).</summary>
internal sealed record ArtifactBatchFailure(bool Success, string Detail, int Index, ArtifactResponse? Artifact);

/// <summary>One event of the watch stream.</summary>
internal sealed record ArtifactChangeEvent(string Key, string Scope, long Version, string UpdatedAt, string UpdatedBy, bool Deleted)
{
    public static ArtifactChangeEvent From(ArtifactChange change) =>
        new(change.Key, change.Scope, change.Version, ArtifactResponse.Timestamp(change.UpdatedAt), change.UpdatedBy, change.Deleted);
}
