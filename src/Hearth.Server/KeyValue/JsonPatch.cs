using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.KeyValue;

/// <summary>One operation of a JSON Patch document; <see cref="Value"/> is meaningful only when <see cref="HasValue"/>.</summary>
internal sealed record JsonPatchOperation(string Op, JsonPointer Path, JsonPointer? From, JsonNode? Value, bool HasValue);

/// <summary>Why a document is not a JSON Patch: the operation's index, the member at fault and a message.</summary>
internal sealed record JsonPatchSyntaxError(int Index, string Member, string Message);

/// <summary>Why a patch could not be applied to a document: the failing operation, what kind of failure, and a message.</summary>
internal sealed record JsonPatchFailure(int Index, JsonPatchFailureKind Kind, string Message)
{
    public bool TestFailed => Kind == JsonPatchFailureKind.TestFailed;
}

/// <summary>
/// RFC 6902 JSON Patch: add, remove, replace, move, copy and test, applied in order to a copy of the target,
/// all or nothing. Pure; the inputs are never changed.
/// </summary>
internal sealed class JsonPatch
{
    private static readonly string[] Ops = ["add", "remove", "replace", "move", "copy", "test"];

    private JsonPatch(IReadOnlyList<JsonPatchOperation> operations) => Operations = operations;

    public IReadOnlyList<JsonPatchOperation> Operations { get; }

    /// <param name="maxOperations">Most operations the document may hold; more is a syntax error naming the whole document.</param>
    public static JsonPatch? Parse(JsonNode? document, out JsonPatchSyntaxError? error, int maxOperations = int.MaxValue)
    {
        error = null;
        if (document is not JsonArray items)
        {
            error = new JsonPatchSyntaxError(-1, "", ErrorMessages.PatchNotAnArray);
            return null;
        }
        if (items.Count > maxOperations)
        {
            error = new JsonPatchSyntaxError(-1, "", ErrorMessages.PatchTooManyOperations(maxOperations));
            return null;
        }
        var operations = new List<JsonPatchOperation>();
        for (var i = 0; i < items.Count; i++)
        {
            if (ParseOperation(i, items[i], out error) is not { } operation)
            {
                return null;
            }
            operations.Add(operation);
        }
        return new JsonPatch(operations);
    }

    private static JsonPatchOperation? ParseOperation(int index, JsonNode? item, out JsonPatchSyntaxError? error)
    {
        error = null;
        if (item is not JsonObject members)
        {
            error = new JsonPatchSyntaxError(index, "", ErrorMessages.PatchOperationNotObject);
            return null;
        }
        var op = Text(members, "op");
        if (op is null || !Ops.Contains(op))
        {
            error = new JsonPatchSyntaxError(index, "op", ErrorMessages.PatchOpUnknown);
            return null;
        }
        if (Pointer(members, "path") is not { } path)
        {
            error = new JsonPatchSyntaxError(index, "path", ErrorMessages.PatchPathInvalid);
            return null;
        }
        JsonPointer? from = null;
        if (op is "move" or "copy" && (from = Pointer(members, "from")) is null)
        {
            error = new JsonPatchSyntaxError(index, "from", ErrorMessages.PatchFromMissing(op));
            return null;
        }
        var hasValue = members.TryGetPropertyValue("value", out var value);
        if (op is "add" or "replace" or "test" && !hasValue)
        {
            error = new JsonPatchSyntaxError(index, "value", ErrorMessages.PatchValueMissing(op));
            return null;
        }
        return new JsonPatchOperation(op, path, from, value, hasValue);
    }

    private static string? Text(JsonObject members, string name) =>
        members.TryGetPropertyValue(name, out var node) && node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static JsonPointer? Pointer(JsonObject members, string name) => Text(members, name) is { } text ? JsonPointer.Parse(text) : null;

    public bool TryApply(JsonNode? target, out JsonNode? result, out JsonPatchFailure? failure) =>
        TryApply(target, PatchLimits.None, out result, out failure);

    /// <summary>Applies the operations in order, stopping at the first that does not fit or would pass <paramref name="limits"/>.</summary>
    /// <returns>The patched document (which may be JSON null), or null with <paramref name="failure"/> set.</returns>
    public bool TryApply(JsonNode? target, PatchLimits limits, out JsonNode? result, out JsonPatchFailure? failure)
    {
        var document = new PatchedDocument(target?.DeepClone(), limits);
        for (var i = 0; i < Operations.Count; i++)
        {
            if (document.Apply(Operations[i]) is (var kind, var message))
            {
                result = null;
                failure = new JsonPatchFailure(i, kind, message);
                return false;
            }
        }
        result = document.Root;
        failure = null;
        return true;
    }
}
