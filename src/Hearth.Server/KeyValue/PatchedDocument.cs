using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.KeyValue;

/// <summary>What one patch may cost: the largest the document may grow to, and the bytes its operations may move in all.</summary>
internal sealed record PatchLimits(long MaxDocumentBytes, long MaxMovedBytes)
{
    /// <summary>How many times the value limit a patch may move: room for real edits, none for amplification.</summary>
    public const int MovedBytesPerValueBytes = 10;

    public static PatchLimits ForValues(long maxValueBytes) => new(maxValueBytes, maxValueBytes * MovedBytesPerValueBytes);

    public static readonly PatchLimits None = new(long.MaxValue, long.MaxValue);
}

/// <summary>Why one operation did not apply: it does not fit the document (a failed <c>test</c> is one), or a limit stopped it.</summary>
internal enum JsonPatchFailureKind
{
    Conflict,
    TestFailed,
    TooLarge,
}

/// <summary>
/// The working copy a <see cref="JsonPatch"/> edits, one operation at a time. Each method returns null on
/// success or why the operation does not fit the document (RFC 6902 section 4).
/// </summary>
/// <remarks>
/// The document's stored size is kept up to date operation by operation, and a value is measured before it
/// is cloned or attached: an operation that would grow the document past <see cref="PatchLimits.MaxDocumentBytes"/>
/// stops the patch before it allocates anything (a <c>copy</c> of the root into itself doubles the document,
/// so twenty of them would otherwise ask for gigabytes). Every byte measured counts against
/// <see cref="PatchLimits.MaxMovedBytes"/>, which bounds the work of a patch that grows and shrinks in turn.
/// </remarks>
internal sealed class PatchedDocument
{
    /// <summary>
    /// How deeply values may nest, as deeply as the store reads them. Checked before a value is attached, so the
    /// document never grows deeper and every walk of it (measure, clone, write) stays this shallow: a copy of
    /// the root to its deepest point doubles the depth, and unchecked that would recurse until the stack ran out.
    /// </summary>
    public const int MaxDepth = 64;

    private readonly PatchLimits _limits;
    private long _moved;

    public PatchedDocument(JsonNode? root, PatchLimits limits)
    {
        _limits = limits;
        Root = root;
        // Not counted as moved: the stored value is read whole whatever the patch, and is within the limit.
        Size = JsonSize.Of(root);
    }

    public JsonNode? Root { get; private set; }

    /// <summary>The length of <see cref="Root"/> as compact UTF-8 JSON.</summary>
    public long Size { get; private set; }

    public (JsonPatchFailureKind Kind, string Message)? Apply(JsonPatchOperation operation) => operation.Op switch
    {
        "add" => Add("add", operation.Path, operation.Value, clone: true),
        "remove" => Remove(operation.Path, out _, out _),
        "replace" => Replace(operation.Path, operation.Value),
        "move" => Move(operation.From!, operation.Path),
        "copy" => Copy(operation.From!, operation.Path),
        _ => Test(operation.Path, operation.Value),
    };

    private static (JsonPatchFailureKind, string) Conflict(string message) => (JsonPatchFailureKind.Conflict, message);

    private long Measure(JsonNode? node)
    {
        var size = JsonSize.Of(node);
        _moved += size;
        return size;
    }

    /// <summary>Refuses a growth past the value limit (shrinking is always allowed) or past the work limit.</summary>
    private (JsonPatchFailureKind, string)? OverLimit(long delta)
    {
        if (_moved > _limits.MaxMovedBytes)
        {
            return (JsonPatchFailureKind.TooLarge, ErrorMessages.PatchMovesTooMuch(_limits.MaxMovedBytes, PatchLimits.MovedBytesPerValueBytes));
        }
        if (delta > 0 && Size + delta > _limits.MaxDocumentBytes)
        {
            return (JsonPatchFailureKind.TooLarge, ErrorMessages.PatchGrowsTooLarge(Size + delta, _limits.MaxDocumentBytes));
        }
        return null;
    }

    /// <summary>Containers from the root to a node, the node included: a scalar is 0 deep, <c>{}</c> is 1, <c>{"a":[]}</c> 2.</summary>
    private static int Depth(JsonNode? node) => node switch
    {
        JsonObject obj => 1 + obj.Select(member => Depth(member.Value)).DefaultIfEmpty(0).Max(),
        JsonArray array => 1 + array.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>Refuses a value that would nest the document deeper than <see cref="MaxDepth"/> at <paramref name="path"/>.</summary>
    private static (JsonPatchFailureKind, string)? TooDeep(string op, JsonPointer path, JsonNode? value) =>
        path.Tokens.Count + Depth(value) > MaxDepth ? Conflict(ErrorMessages.PatchTooDeep(op, path.Text, MaxDepth)) : null;

    /// <summary>Adds <paramref name="value"/> (a clone of it when <paramref name="clone"/>) once it is known to fit.</summary>
    private (JsonPatchFailureKind, string)? Add(string op, JsonPointer path, JsonNode? value, bool clone, long? knownSize = null)
    {
        if (TooDeep(op, path, value) is { } tooDeep)
        {
            return tooDeep;
        }
        var size = knownSize ?? Measure(value);
        if (path.IsRoot)
        {
            if (OverLimit(size - Size) is { } tooLarge)
            {
                return tooLarge;
            }
            Root = clone ? value?.DeepClone() : value;
            Size = size;
            return null;
        }
        if (!path.Parent().TryFind(Root, out var parent))
        {
            return Conflict(ErrorMessages.PatchParentMissing(op, path.Text));
        }
        int? at = null;
        long delta;
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(path.LastToken, out var old):
                delta = size - Measure(old);
                break;
            case JsonObject obj:
                delta = JsonSize.OfName(path.LastToken) + 1 + size + (obj.Count > 0 ? 1 : 0);
                break;
            case JsonArray array when path.LastToken == "-":
                delta = size + (array.Count > 0 ? 1 : 0);
                break;
            case JsonArray array when JsonPointer.ArrayIndex(path.LastToken) is { } index && index <= array.Count:
                at = index;
                delta = size + (array.Count > 0 ? 1 : 0);
                break;
            case JsonArray:
                return Conflict(ErrorMessages.PatchIndexOutOfRange(path.Text));
            default:
                return Conflict(ErrorMessages.PatchParentNotContainer(path.Text));
        }
        if (OverLimit(delta) is { } refused)
        {
            return refused;
        }
        var node = clone ? value?.DeepClone() : value;
        switch (parent)
        {
            case JsonObject obj:
                obj[path.LastToken] = node;
                break;
            case JsonArray array when at is { } index:
                array.Insert(index, node);
                break;
            case JsonArray array:
                array.Add(node);
                break;
        }
        Size += delta;
        return null;
    }

    private (JsonPatchFailureKind, string)? Remove(JsonPointer path, out JsonNode? removed, out long removedSize)
    {
        removed = null;
        removedSize = 0;
        if (path.IsRoot)
        {
            return Conflict(ErrorMessages.PatchRemoveRoot);
        }
        if (!path.TryFind(Root, out removed))
        {
            return Conflict(ErrorMessages.PatchPathMissing("remove", path.Text));
        }
        removedSize = Measure(removed);
        path.Parent().TryFind(Root, out var parent);
        if (parent is JsonObject obj)
        {
            Size -= JsonSize.OfName(path.LastToken) + 1 + removedSize + (obj.Count > 1 ? 1 : 0);
            obj.Remove(path.LastToken);
        }
        else
        {
            var array = parent!.AsArray();
            Size -= removedSize + (array.Count > 1 ? 1 : 0);
            array.RemoveAt(JsonPointer.ArrayIndex(path.LastToken)!.Value);
        }
        return OverLimit(0);
    }

    private (JsonPatchFailureKind, string)? Replace(JsonPointer path, JsonNode? value)
    {
        // Replace is remove-then-add at one location (RFC 6902 section 4.3): the location must exist, and an
        // existing member or root is what add then overwrites in place.
        if (!path.TryFind(Root, out _))
        {
            return Conflict(ErrorMessages.PatchPathMissing("replace", path.Text));
        }
        if (path.IsRoot || path.Parent().TryFind(Root, out var parent) && parent is JsonObject)
        {
            return Add("replace", path, value, clone: true);
        }
        if (TooDeep("replace", path, value) is { } tooDeep)
        {
            return tooDeep;
        }
        var array = parent!.AsArray();
        var index = JsonPointer.ArrayIndex(path.LastToken)!.Value;
        var size = Measure(value);
        var delta = size - Measure(array[index]);
        if (OverLimit(delta) is { } refused)
        {
            return refused;
        }
        array[index] = value?.DeepClone();
        Size += delta;
        return null;
    }

    private (JsonPatchFailureKind, string)? Move(JsonPointer from, JsonPointer path)
    {
        if (from.IsProperPrefixOf(path))
        {
            return Conflict(ErrorMessages.PatchMoveIntoChild(from.Text, path.Text));
        }
        if (!from.TryFind(Root, out _))
        {
            return Conflict(ErrorMessages.PatchFromPathMissing("move", from.Text));
        }
        if (from.Text == path.Text)
        {
            return null;
        }
        // Not the root: the root is a proper prefix of every other path, refused above.
        return Remove(from, out var value, out var size) ?? Add("move", path, value, clone: false, size);
    }

    private (JsonPatchFailureKind, string)? Copy(JsonPointer from, JsonPointer path) =>
        from.TryFind(Root, out var value) ? Add("copy", path, value, clone: true) : Conflict(ErrorMessages.PatchFromPathMissing("copy", from.Text));

    private (JsonPatchFailureKind, string)? Test(JsonPointer path, JsonNode? expected)
    {
        if (!path.TryFind(Root, out var actual))
        {
            return Conflict(ErrorMessages.PatchPathMissing("test", path.Text));
        }
        return JsonEquality.AreEqual(actual, expected) ? null : (JsonPatchFailureKind.TestFailed, ErrorMessages.PatchTestFailed(path.Text));
    }
}
