using System.Security.Cryptography;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Common;

namespace Hearth.Server.Backups;

/// <summary>An artifact file (and its sidecar) to copy: the row's storage key and the SHA-256 recorded when it was stored.</summary>
internal sealed record StoredFile(string Id, string ChatId, string StorageKey, string Sha256, string MimeType);

/// <summary>How a <c>migrate-db --files-to</c> copy went: files copied now, files an earlier run had copied, bytes copied.</summary>
internal sealed record FileMoveTally(long Copied, long AlreadyThere, long Bytes);

/// <summary>
/// <c>migrate-db --files-to</c>: copies the file of every <c>artifact_files</c> row in the snapshot, and its
/// sidecar, from the storage Hearth uses into another (a directory or an S3 bucket), under the same keys. A file
/// already in the target with the recorded SHA-256 is skipped, so a rerun goes on where one stopped; each copy is
/// read back from the target and its SHA-256 compared with the source's. The source keeps its files: they go when
/// the operator removes them, after the new Hearth runs.
/// </summary>
internal sealed class FileMover(IBlobStorage from, IBlobStorage to)
{
    public async Task<FileMoveTally> MoveAsync(IAsyncEnumerable<StoredFile> files, List<string> problems, IProgress<MoveProgress>? progress,
        CancellationToken cancellationToken)
    {
        long copied = 0, already = 0, bytes = 0;
        await foreach (var file in files.WithCancellation(cancellationToken))
        {
            if (await HashAsync(to, file.StorageKey, cancellationToken) == file.Sha256)
            {
                already++;
            }
            else if (await CopyAsync(file.StorageKey, file.MimeType, file.Sha256, problems, cancellationToken) is { } length)
            {
                copied++;
                bytes += length;
            }
            var sidecar = BlobKeys.Meta(file.ChatId, file.Id);
            if (await HashAsync(from, sidecar, cancellationToken) is { } sha256 && await HashAsync(to, sidecar, cancellationToken) != sha256)
            {
                await CopyAsync(sidecar, "application/json", sha256, problems, cancellationToken);
            }
            progress?.Report(new MoveProgress("files", "artifact_files", copied + already));
        }
        return new FileMoveTally(copied, already, bytes);
    }

    /// <summary>
    /// Through a temporary file (seekable, whatever the source: S3 wants a length, and memory stays bounded), then
    /// the target's copy read back. Answers the bytes copied, or null when the source has no such file.
    /// </summary>
    private async Task<long?> CopyAsync(string key, string contentType, string recorded, List<string> problems, CancellationToken cancellationToken)
    {
        await using var source = await from.OpenAsync(key, cancellationToken);
        if (source is null)
        {
            problems.Add($"{key} is missing from {from.Description}, so it was not copied.");
            return null;
        }
        await using var hashing = new HashingStream(source);
        await using var buffer = await TemporaryCopy.FromAsync(hashing, cancellationToken);
        if (hashing.Sha256() != recorded)
        {
            problems.Add($"{key} in {from.Description} does not match the SHA-256 recorded when it was stored; it was copied as found.");
            recorded = hashing.Sha256();
        }
        var length = buffer.Length;
        await to.PutAsync(key, buffer, length, contentType, cancellationToken);
        if (await HashAsync(to, key, cancellationToken) != recorded)
        {
            problems.Add($"{key} reads back from {to.Description} with another SHA-256 than its source: run migrate-db again.");
        }
        return length;
    }

    /// <summary>The SHA-256 of an object in lower-case hex, or null when there is none.</summary>
    private static async Task<string?> HashAsync(IBlobStorage storage, string key, CancellationToken cancellationToken)
    {
        await using var content = await storage.OpenAsync(key, cancellationToken);
        return content is null ? null : BackupArchive.Hex(await SHA256.HashDataAsync(content, cancellationToken));
    }
}
