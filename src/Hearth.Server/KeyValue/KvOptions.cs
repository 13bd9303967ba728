using Hearth.Server.Hosting;

namespace Hearth.Server.KeyValue;

/// <summary>Limits of the artifact store (artifacts-kv.md: 1 MiB per value, 100 MiB per user, 1 GiB shared).</summary>
internal sealed class KvOptions
{
    public const int MaxKeyLength = 200;
    public const int MaxListLimit = 1000;

    /// <summary><c>ARTIFACT_MAX_VALUE_BYTES</c>: largest stored value, as UTF-8 JSON text.</summary>
    public long MaxValueBytes { get; set; } = 1024 * 1024;
    /// <summary><c>ARTIFACT_MAX_USER_BYTES</c>: total of one user's personal values.</summary>
    public long MaxUserBytes { get; set; } = 100L * 1024 * 1024;
    /// <summary><c>ARTIFACT_MAX_SHARED_BYTES</c>: total of the shared scope's values.</summary>
    public long MaxSharedBytes { get; set; } = 1024L * 1024 * 1024;
    /// <summary><c>ARTIFACT_MAX_BATCH_OPERATIONS</c>: most operations in one POST /api/artifacts/batch.</summary>
    public int MaxBatchOperations { get; set; } = 100;
    /// <summary><c>ARTIFACT_MAX_PATCH_OPERATIONS</c>: most operations in one JSON Patch document.</summary>
    public int MaxPatchOperations { get; set; } = 1000;
    /// <summary><c>ARTIFACT_WATCH_HEARTBEAT_SECONDS</c>: how often an idle watch stream sends a comment, so proxies keep it open.</summary>
    public int WatchHeartbeatSeconds { get; set; } = 15;

    public static void MapEnvironment(KvOptions options, IConfiguration configuration)
    {
        options.MaxValueBytes = Setting.Long(configuration, "ARTIFACT_MAX_VALUE_BYTES", 1, long.MaxValue) ?? options.MaxValueBytes;
        options.MaxUserBytes = Setting.Long(configuration, "ARTIFACT_MAX_USER_BYTES", 1, long.MaxValue) ?? options.MaxUserBytes;
        options.MaxSharedBytes = Setting.Long(configuration, "ARTIFACT_MAX_SHARED_BYTES", 1, long.MaxValue) ?? options.MaxSharedBytes;
        options.MaxBatchOperations = (int)(Setting.Long(configuration, "ARTIFACT_MAX_BATCH_OPERATIONS", 1, 10_000)
            ?? options.MaxBatchOperations);
        options.MaxPatchOperations = (int)(Setting.Long(configuration, "ARTIFACT_MAX_PATCH_OPERATIONS", 1, 100_000)
            ?? options.MaxPatchOperations);
        options.WatchHeartbeatSeconds = (int)(Setting.Long(configuration, "ARTIFACT_WATCH_HEARTBEAT_SECONDS", 1, 3600)
            ?? options.WatchHeartbeatSeconds);
    }
}
