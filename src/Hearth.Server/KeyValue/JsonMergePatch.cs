using System.Text.Json.Nodes;

namespace Hearth.Server.KeyValue;

/// <summary>
/// RFC 7386 JSON Merge Patch: an object patch sets each member it names and removes the members it sets to
/// null, recursively; any other patch replaces the whole target. Pure; the inputs are never changed.
/// </summary>
internal static class JsonMergePatch
{
    /// <returns>The patched document; null when the patch itself is null.</returns>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Merge(target?.DeepClone(), patch);

    /// <summary>Merges into <paramref name="target"/> in place, which keeps the order of members that stay.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? [];
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }
            result.TryGetPropertyValue(name, out var existing);
            var merged = Merge(existing, value);
            if (!ReferenceEquals(merged, existing))
            {
                result[name] = merged;
            }
        }
        return result;
    }
}
