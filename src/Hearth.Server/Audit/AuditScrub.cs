using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.Audit;

/// <summary>
/// A request or answer body as the audit log may keep it: every property whose name says password, token, secret or
/// key is removed at any depth, and a body longer than <c>MAX_BODY_LOG_SIZE</c> is cut to a string of that length.
/// </summary>
internal static class AuditScrub
{
    public const string Removed = "[removed]";

    public static JsonNode? Node(object value, int maxLength)
    {
        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType(), JsonSettings.Wire);
        node = node?.DeepClone();
        Scrub(node);
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= maxLength ? node : JsonValue.Create(text[..maxLength] + "…");
    }

    /// <summary>Whether a property of this name may hold a credential (<c>password</c>, <c>new_password</c>, <c>token</c>,
    /// <c>api_key</c>, <c>secret</c>, <c>key</c>, <c>authorization</c>).</summary>
    public static bool IsSecretName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains("password", StringComparison.Ordinal) || lower.Contains("token", StringComparison.Ordinal)
            || lower.Contains("secret", StringComparison.Ordinal) || lower.Contains("authorization", StringComparison.Ordinal)
            || lower is "key" or "apikey" || lower.EndsWith("_key", StringComparison.Ordinal) || lower.EndsWith("apikey", StringComparison.Ordinal);
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretName(name))
                    {
                        obj[name] = Removed;
                    }
                    else
                    {
                        Scrub(obj[name]);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Scrub(item);
                }
                break;
        }
    }
}
