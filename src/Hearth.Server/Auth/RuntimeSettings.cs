using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>
/// Settings an admin changes while Hearth runs (Open WebUI's persistent config): the environment gives the
/// first value, a stored value wins afterwards. Read through a short cache, so a change made by another
/// Hearth process on the same database is seen within <see cref="CacheFor"/>.
/// </summary>
internal sealed class RuntimeSettings(SettingsStore store, IOptions<AuthOptions> auth, DefaultPermissions defaults, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    public const string PermissionsKey = "USER_PERMISSIONS";

    private (DateTimeOffset At, AdminConfig Config, JsonObject Permissions)? _cache;

    public async Task<AdminConfig> GetConfigAsync(CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).Config;

    public async Task<JsonObject> GetPermissionsAsync(CancellationToken cancellationToken) =>
        (JsonObject)(await LoadAsync(cancellationToken)).Permissions.DeepClone();

    /// <summary>Whether the default permissions grant <paramref name="permission"/> to <paramref name="role"/>: read in place, no copy (a check on every API-key request).</summary>
    public async Task<bool> DefaultsGrantAsync(string role, string permission, CancellationToken cancellationToken) =>
        DefaultPermissions.Grants((await LoadAsync(cancellationToken)).Permissions, role, permission);

    public async Task<AdminConfig> UpdateConfigAsync(AdminConfigForm form, CancellationToken cancellationToken)
    {
        var values = form.ToStoredValues();
        await store.WriteAsync(values, cancellationToken);
        _cache = null;
        return await GetConfigAsync(cancellationToken);
    }

    public async Task<JsonObject> UpdatePermissionsAsync(JsonObject permissions, CancellationToken cancellationToken)
    {
        var merged = DefaultPermissions.Merge(defaults.Initial, permissions);
        await store.WriteAsync(new Dictionary<string, string> { [PermissionsKey] = merged.ToJsonString() }, cancellationToken);
        _cache = null;
        return await GetPermissionsAsync(cancellationToken);
    }

    public void Invalidate() => _cache = null;

    private async Task<(DateTimeOffset, AdminConfig Config, JsonObject Permissions)> LoadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache is { } cached && now - cached.At < CacheFor)
        {
            return cached;
        }
        var stored = await store.ReadAllAsync(cancellationToken);
        var config = AdminConfig.From(auth.Value, stored);
        var permissions = stored.TryGetValue(PermissionsKey, out var json)
            ? JsonNode.Parse(json) as JsonObject ?? defaults.Initial
            : defaults.Initial;
        var loaded = (now, config, permissions);
        _cache = loaded;
        return loaded;
    }

    internal static bool ReadBool(IReadOnlyDictionary<string, string> stored, string key, bool fallback) =>
        stored.TryGetValue(key, out var json) && JsonSerializer.Deserialize<bool?>(json) is { } value ? value : fallback;

    internal static string ReadString(IReadOnlyDictionary<string, string> stored, string key, string fallback) =>
        stored.TryGetValue(key, out var json) && JsonSerializer.Deserialize<string>(json) is { } value ? value : fallback;
}
