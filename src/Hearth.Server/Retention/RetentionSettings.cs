using System.Text.Json;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Retention;

/// <summary>
/// The retention rules an admin sets, kept as one JSON value in <c>server_settings</c> (so backups carry them):
/// the environment (<see cref="RetentionOptions"/>) gives the server's rule until an admin stores one.
/// </summary>
internal sealed class RetentionSettings(SettingsStore store, IOptions<RetentionOptions> options)
{
    public const string Key = "CHAT_RETENTION";

    public async Task<RetentionConfig> GetAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ReadAllAsync(cancellationToken);
        var fallback = new RetentionConfig(options.Value.Days, options.Value.Action,
            new Dictionary<string, RetentionRule>(), new Dictionary<string, RetentionRule>());
        return stored.TryGetValue(Key, out var json)
            ? JsonSerializer.Deserialize<RetentionConfig>(json, JsonSettings.Wire) ?? fallback
            : fallback;
    }

    public async Task<RetentionConfig> UpdateAsync(RetentionConfigForm form, CancellationToken cancellationToken)
    {
        var updated = form.Apply(await GetAsync(cancellationToken));
        await store.WriteAsync(new Dictionary<string, string> { [Key] = JsonSerializer.Serialize(updated, JsonSettings.Wire) },
            cancellationToken);
        return updated;
    }
}
