using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.KeyValue;

/// <summary>The outcome of patching a stored value: the new JSON text, or why the patch does not fit.</summary>
internal sealed record ValuePatchResult(string? Value, WriteStatus Refusal, string? Problem)
{
    public static ValuePatchResult Patched(string value) => new(value, WriteStatus.Written, null);
    public static ValuePatchResult Refused(WriteStatus status, string problem) => new(null, status, problem);
}

/// <summary>An edit of a stored JSON value, applied inside the write transaction.</summary>
internal interface IValuePatch
{
    /// <param name="maxValueBytes">ARTIFACT_MAX_VALUE_BYTES: an edit that would grow the value past it stops there.</param>
    ValuePatchResult Apply(string storedValue, long maxValueBytes);
}

/// <summary>
/// Patches parse the stored text, edit the tree and write it back compactly: member order, number texts and
/// characters are kept, only insignificant whitespace is lost.
/// </summary>
internal abstract class ValuePatch : IValuePatch
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    public ValuePatchResult Apply(string storedValue, long maxValueBytes)
    {
        try
        {
            return ApplyTo(storedValue, maxValueBytes);
        }
        catch (InvalidOperationException)
        {
            // A value stored before such text was refused at the door, holding half a surrogate pair.
            return ValuePatchResult.Refused(WriteStatus.PatchConflict, ErrorMessages.ArtifactStoredValueUnpatchable);
        }
    }

    private ValuePatchResult ApplyTo(string storedValue, long maxValueBytes)
    {
        JsonNode? stored;
        try
        {
            stored = JsonNode.Parse(storedValue, documentOptions: Strict);
        }
        catch (JsonException)
        {
            return ValuePatchResult.Refused(WriteStatus.PatchConflict, ErrorMessages.ArtifactStoredValueUnpatchable);
        }
        if (!TryEdit(stored, maxValueBytes, out var edited, out var refusal))
        {
            return refusal!;
        }
        if (edited is null)
        {
            return ValuePatchResult.Refused(WriteStatus.PatchedToNull, ErrorMessages.ArtifactPatchedToNull);
        }
        return ValuePatchResult.Patched(edited.ToJsonString(JsonSize.Compact));
    }

    protected abstract bool TryEdit(JsonNode? stored, long maxValueBytes, out JsonNode? edited, out ValuePatchResult? refusal);

    /// <summary>Parses a patch body, refusing repeated member names (RFC 6902 A.13) and half surrogate pairs.</summary>
    public static JsonNode? ParseDocument(string text) => JsonUnicode.Parse(text, Strict);

    /// <summary>A JSON Patch edit, or the 422 issue saying where the document (found at <paramref name="at"/>) is wrong.</summary>
    public static IValuePatch? FromJsonPatch(JsonNode? document, object[] at, int maxOperations, out ValidationIssue? issue)
    {
        if (JsonPatch.Parse(document, out var error, maxOperations) is { } patch)
        {
            issue = null;
            return new JsonPatchEdit(patch);
        }
        object[] where = error!.Index < 0 ? at : error.Member.Length == 0 ? [.. at, error.Index] : [.. at, error.Index, error.Member];
        issue = new ValidationIssue("value_error", where, ErrorMessages.ArtifactPatchInvalid(error.Message), null);
        return null;
    }
}

/// <summary>
/// A merge patch needs no bound while it applies: each of its values lands in the result at most once, so the
/// result is never larger than the stored value and the patch together, and the write checks the total.
/// </summary>
internal sealed class MergePatchEdit(JsonNode? patch) : ValuePatch
{
    protected override bool TryEdit(JsonNode? stored, long maxValueBytes, out JsonNode? edited, out ValuePatchResult? refusal)
    {
        edited = JsonMergePatch.Apply(stored, patch);
        refusal = null;
        return true;
    }
}

/// <summary>A JSON Patch can copy what it has already copied, so it is bounded operation by operation (<see cref="PatchedDocument"/>).</summary>
internal sealed class JsonPatchEdit(JsonPatch patch) : ValuePatch
{
    protected override bool TryEdit(JsonNode? stored, long maxValueBytes, out JsonNode? edited, out ValuePatchResult? refusal)
    {
        refusal = null;
        if (patch.TryApply(stored, PatchLimits.ForValues(maxValueBytes), out edited, out var failure))
        {
            return true;
        }
        refusal = failure!.Kind == JsonPatchFailureKind.TooLarge
            ? ValuePatchResult.Refused(WriteStatus.TooLarge, ErrorMessages.ArtifactPatchStopped(failure.Index, failure.Message))
            : ValuePatchResult.Refused(WriteStatus.PatchConflict,
                ErrorMessages.ArtifactPatchConflict($"operation {failure.Index} ({failure.Message})"));
        return false;
    }
}
