using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.Artifacts;

/// <summary>The outcome of patching a stored value: the new JSON text, or why the patch does not fit.</summary>
internal sealed record ValuePatchResult(string? Value, WriteStatus Refusal, string? Problem)
{
    public static ValuePatchResult Patched(string value) => new(value, WriteStatus.Written, null);
    public static ValuePatchResult Refused(WriteStatus status, string problem) => new(null, status, problem);
}

/// <summary>An edit of a stored JSON value, applied inside the write transaction.</summary>
internal interface IValuePatch
{
    ValuePatchResult Apply(string storedValue);
}

/// <summary>
/// Patches parse the stored text, edit the tree and write it back compactly: member order, number texts and
/// characters are kept, only insignificant whitespace is lost.
/// </summary>
internal abstract class ValuePatch : IValuePatch
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    public ValuePatchResult Apply(string storedValue)
    {
        try
        {
            return ApplyTo(storedValue);
        }
        catch (InvalidOperationException)
        {
            // A value stored before such text was refused at the door, holding half a surrogate pair.
            return ValuePatchResult.Refused(WriteStatus.PatchConflict, ErrorMessages.ArtifactStoredValueUnpatchable);
        }
    }

    private ValuePatchResult ApplyTo(string storedValue)
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
        if (!TryEdit(stored, out var edited, out var problem))
        {
            return ValuePatchResult.Refused(WriteStatus.PatchConflict, ErrorMessages.ArtifactPatchConflict(problem!));
        }
        if (edited is null)
        {
            return ValuePatchResult.Refused(WriteStatus.PatchedToNull, ErrorMessages.ArtifactPatchedToNull);
        }
        return ValuePatchResult.Patched(edited.ToJsonString(Compact));
    }

    protected abstract bool TryEdit(JsonNode? stored, out JsonNode? edited, out string? problem);

    /// <summary>Parses a patch body, refusing repeated member names (RFC 6902 A.13) and half surrogate pairs.</summary>
    public static JsonNode? ParseDocument(string text) => JsonUnicode.Parse(text, Strict);

    /// <summary>A JSON Patch edit, or the 422 issue saying where the document (found at <paramref name="at"/>) is wrong.</summary>
    public static IValuePatch? FromJsonPatch(JsonNode? document, object[] at, out ValidationIssue? issue)
    {
        if (JsonPatch.Parse(document, out var error) is { } patch)
        {
            issue = null;
            return new JsonPatchEdit(patch);
        }
        object[] where = error!.Index < 0 ? at : error.Member.Length == 0 ? [.. at, error.Index] : [.. at, error.Index, error.Member];
        issue = new ValidationIssue("value_error", where, ErrorMessages.ArtifactPatchInvalid(error.Message), null);
        return null;
    }
}

internal sealed class MergePatchEdit(JsonNode? patch) : ValuePatch
{
    protected override bool TryEdit(JsonNode? stored, out JsonNode? edited, out string? problem)
    {
        edited = JsonMergePatch.Apply(stored, patch);
        problem = null;
        return true;
    }
}

internal sealed class JsonPatchEdit(JsonPatch patch) : ValuePatch
{
    protected override bool TryEdit(JsonNode? stored, out JsonNode? edited, out string? problem)
    {
        var applied = patch.TryApply(stored, out edited, out var failure);
        problem = failure is null ? null : $"operation {failure.Index} ({failure.Message})";
        return applied;
    }
}
