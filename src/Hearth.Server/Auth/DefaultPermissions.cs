using System.Text.Json.Nodes;
using Hearth.Server.Hosting;

namespace Hearth.Server.Auth;

/// <summary>
/// The default user permissions in Open WebUI's shape (sections of booleans), first read from
/// <c>USER_PERMISSIONS_&lt;SECTION&gt;_&lt;KEY&gt;</c> environment variables (workspace keys end in <c>_ACCESS</c>).
/// </summary>
internal sealed class DefaultPermissions(IConfiguration configuration)
{
    /// <summary>Every key Open WebUI 0.11's default permissions carry, each section with its first value.</summary>
    private static readonly (string Section, string[] Keys, bool Value)[] Shape =
    [
        ("workspace", ["models", "knowledge", "prompts", "tools", "skills", "models_import", "models_export", "prompts_import",
            "prompts_export", "tools_import", "tools_export"], false),
        ("sharing", ["models", "public_models", "knowledge", "public_knowledge", "prompts", "public_prompts", "tools", "public_tools",
            "skills", "public_skills", "notes", "public_notes"], false),
        ("access_grants", ["allow_users"], true),
        ("chat", ["controls", "valves", "system_prompt", "params", "file_upload", "web_upload", "delete", "delete_message",
            "continue_response", "regenerate_response", "rate_response", "edit", "share", "export", "import", "stt", "tts", "call",
            "multiple_models", "temporary", "temporary_enforced"], true),
        ("features", ["folders", "channels", "direct_tool_servers", "web_search", "image_generation", "code_interpreter", "memories",
            "notes", "api_keys"], true),
        ("settings", ["interface"], true),
    ];

    /// <summary>Workspace keys whose environment name ends in <c>_ACCESS</c>, as Open WebUI names them.</summary>
    private static readonly string[] AccessKeys = ["models", "knowledge", "prompts", "tools", "skills"];

    public static IEnumerable<string> Sections => Shape.Select(s => s.Section);

    public JsonObject Initial => Build();

    private JsonObject Build()
    {
        var root = new JsonObject();
        foreach (var (section, keys, value) in Shape)
        {
            var obj = new JsonObject();
            foreach (var key in keys)
            {
                var suffix = section == "workspace" && AccessKeys.Contains(key) ? "_ACCESS" : "";
                var name = $"USER_PERMISSIONS_{section.ToUpperInvariant()}_{key.ToUpperInvariant()}{suffix}";
                // Enforced temporary chats would hide every chat; server-side code is off until an admin allows it.
                var enabled = value && !(section == "chat" && key == "temporary_enforced") && !(section == "features" && key == "code_interpreter");
                obj[key] = Setting.Bool(configuration, name) ?? enabled;
            }
            root[section] = obj;
        }
        return root;
    }

    /// <summary>The known sections must be objects of booleans; anything else posted is kept as given.</summary>
    public static string? Validate(JsonObject posted)
    {
        foreach (var section in Sections)
        {
            if (!posted.TryGetPropertyValue(section, out var node) || node is null)
            {
                continue;
            }
            if (node is not JsonObject obj)
            {
                return section;
            }
            foreach (var (key, value) in obj)
            {
                if (value is not JsonValue v || !v.TryGetValue<bool>(out _))
                {
                    return $"{section}.{key}";
                }
            }
        }
        return null;
    }

    /// <summary>Defaults overlaid with what was posted, key by key inside the known sections.</summary>
    public static JsonObject Merge(JsonObject defaults, JsonObject posted)
    {
        var result = (JsonObject)defaults.DeepClone();
        foreach (var (key, value) in posted)
        {
            if (value is JsonObject section && result[key] is JsonObject existing)
            {
                foreach (var (inner, innerValue) in section)
                {
                    existing[inner] = innerValue?.DeepClone();
                }
            }
            else
            {
                result[key] = value?.DeepClone();
            }
        }
        return result;
    }

    /// <summary>
    /// A group's permissions added to <paramref name="current"/>, as Open WebUI 0.11 combines them: a switch any
    /// group turns on is on, and no group turns off what the defaults or another group grant. Sections and keys
    /// the defaults lack are taken as the group has them.
    /// </summary>
    public static void Combine(JsonObject current, JsonObject group)
    {
        foreach (var (key, value) in group)
        {
            if (value is JsonObject section && current[key] is JsonObject existing)
            {
                Combine(existing, section);
            }
            else if (!current.ContainsKey(key))
            {
                current[key] = value?.DeepClone();
            }
            else if (IsTrue(value) && !IsTrue(current[key]))
            {
                current[key] = true;
            }
        }
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>Whether <paramref name="permission"/> (e.g. <c>chat.delete</c>) is granted; admins skip the check.</summary>
    public static bool Grants(JsonObject permissions, string role, string permission)
    {
        if (role == Roles.Admin)
        {
            return true;
        }
        var parts = permission.Split('.', 2);
        return permissions[parts[0]] is JsonObject section && section[parts[1]] is JsonValue value
            && value.TryGetValue<bool>(out var granted) && granted;
    }
}
