using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.Artifacts;

/// <summary>
/// The working copy a <see cref="JsonPatch"/> edits, one operation at a time. Each method returns null on
/// success or a message saying why the operation does not fit the document (RFC 6902 section 4).
/// </summary>
internal sealed class PatchedDocument(JsonNode? root)
{
    public JsonNode? Root { get; private set; } = root;

    public string? Apply(JsonPatchOperation operation) => operation.Op switch
    {
        "add" => Add(operation.Path, operation.Value?.DeepClone()),
        "remove" => Remove(operation.Path, out _),
        "replace" => Replace(operation.Path, operation.Value?.DeepClone()),
        "move" => Move(operation.From!, operation.Path),
        "copy" => Copy(operation.From!, operation.Path),
        _ => Test(operation.Path, operation.Value),
    };

    private string? Add(JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            Root = value;
            return null;
        }
        if (!path.Parent().TryFind(Root, out var parent))
        {
            return ErrorMessages.PatchParentMissing("add", path.Text);
        }
        switch (parent)
        {
            case JsonObject obj:
                obj[path.LastToken] = value;
                return null;
            case JsonArray array when path.LastToken == "-":
                array.Add(value);
                return null;
            case JsonArray array when JsonPointer.ArrayIndex(path.LastToken) is { } index && index <= array.Count:
                array.Insert(index, value);
                return null;
            case JsonArray:
                return ErrorMessages.PatchIndexOutOfRange(path.Text);
            default:
                return ErrorMessages.PatchParentNotContainer(path.Text);
        }
    }

    private string? Remove(JsonPointer path, out JsonNode? removed)
    {
        removed = null;
        if (path.IsRoot)
        {
            return ErrorMessages.PatchRemoveRoot;
        }
        if (!path.TryFind(Root, out removed))
        {
            return ErrorMessages.PatchPathMissing("remove", path.Text);
        }
        path.Parent().TryFind(Root, out var parent);
        if (parent is JsonObject obj)
        {
            obj.Remove(path.LastToken);
        }
        else
        {
            parent!.AsArray().RemoveAt(JsonPointer.ArrayIndex(path.LastToken)!.Value);
        }
        return null;
    }

    private string? Replace(JsonPointer path, JsonNode? value)
    {
        if (!path.TryFind(Root, out _))
        {
            return ErrorMessages.PatchPathMissing("replace", path.Text);
        }
        if (path.IsRoot)
        {
            Root = value;
            return null;
        }
        path.Parent().TryFind(Root, out var parent);
        if (parent is JsonObject obj)
        {
            obj[path.LastToken] = value;
        }
        else
        {
            parent!.AsArray()[JsonPointer.ArrayIndex(path.LastToken)!.Value] = value;
        }
        return null;
    }

    private string? Move(JsonPointer from, JsonPointer path)
    {
        if (from.IsProperPrefixOf(path))
        {
            return ErrorMessages.PatchMoveIntoChild(from.Text, path.Text);
        }
        if (!from.TryFind(Root, out _))
        {
            return ErrorMessages.PatchFromPathMissing("move", from.Text);
        }
        if (from.Text == path.Text)
        {
            return null;
        }
        // Not the root: the root is a proper prefix of every other path, refused above.
        Remove(from, out var value);
        return Add(path, value);
    }

    private string? Copy(JsonPointer from, JsonPointer path) =>
        from.TryFind(Root, out var value) ? Add(path, value?.DeepClone()) : ErrorMessages.PatchFromPathMissing("copy", from.Text);

    private string? Test(JsonPointer path, JsonNode? expected)
    {
        if (!path.TryFind(Root, out var actual))
        {
            return ErrorMessages.PatchPathMissing("test", path.Text);
        }
        return JsonEquality.AreEqual(actual, expected) ? null : ErrorMessages.PatchTestFailed(path.Text);
    }
}
