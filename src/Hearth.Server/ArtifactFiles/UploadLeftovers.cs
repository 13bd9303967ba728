using Hearth.Server.ArtifactFiles.Blobs;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// At start-up, removes what uploads cut short by a crash left: temporary files of unfinished puts and metadata
/// sidecars whose file was never stored (the sidecar is written first). Only leftovers older than an hour go, so an
/// upload another Hearth process is making at this moment is never touched. A file with no row is not a leftover:
/// <c>rebuild-artifacts</c> restores its row.
/// </summary>
internal sealed class UploadLeftovers(IBlobStorage blobs, TimeProvider clock, ILogger<UploadLeftovers> logger) : BackgroundService
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var (partials, sidecars) = await RemoveAsync(stoppingToken);
            if (partials + sidecars > 0)
            {
                logger.LogInformation("Removed {Partials} unfinished uploads and {Sidecars} sidecars without a file, left by an earlier crash", partials, sidecars);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the next start-up finishes the job.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not clean up after interrupted uploads ({Storage})", blobs.Description);
        }
    }

    public async Task<(int Partials, int Sidecars)> RemoveAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - MinimumAge;
        var partials = await blobs.RemoveUnfinishedAsync(before, cancellationToken);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var sidecars = new List<(string Key, string File, DateTimeOffset LastModified)>();
        await foreach (var entry in blobs.ListAsync(BlobKeys.Root, cancellationToken))
        {
            if (Sidecar(entry.Key) is { } file)
            {
                sidecars.Add((entry.Key, file, entry.LastModified));
            }
            else if (BlobKeys.Parse(entry.Key) is { } artifact)
            {
                files.Add($"{BlobKeys.Conversation(artifact.ConversationId)}artifacts/{Path.GetFileNameWithoutExtension(artifact.FileName)}");
            }
        }
        var orphans = sidecars.Where(s => s.LastModified < before && !files.Contains(s.File)).ToList();
        foreach (var orphan in orphans)
        {
            await blobs.DeleteAsync(orphan.Key, cancellationToken);
        }
        return (partials, orphans.Count);
    }

    /// <summary>For <c>…/artifacts/.meta/{id}.json</c>, the key its file has without the extension; null for anything else.</summary>
    private static string? Sidecar(string key)
    {
        var marker = $"artifacts/{BlobKeys.MetaFolder}/";
        var at = key.LastIndexOf(marker, StringComparison.Ordinal);
        return at > 0 && key.EndsWith(".json", StringComparison.Ordinal) && key.IndexOf('/', at + marker.Length) < 0
            ? key[..(at + "artifacts/".Length)] + Path.GetFileNameWithoutExtension(key[(at + marker.Length)..])
            : null;
    }
}
