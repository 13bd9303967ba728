using System.Data.Common;
using System.Formats.Tar;
using Hearth.Server.ArtifactFiles.Blobs;

namespace Hearth.Server.Backups;

/// <summary>
/// Copies the file of an <c>artifact_files</c> row (and its metadata sidecar) from blob storage, disk or S3, into
/// the archive as the row is read. Files never change once stored, so the file of a row in the snapshot is the
/// one the row describes; one deleted since the snapshot (its chat was being deleted) leaves its row out too.
/// </summary>
internal sealed class BackupFileCopier(TarWriter tar, IBlobStorage blobs, List<string> problems)
{
    public long Files { get; private set; }
    public long Bytes { get; private set; }
    public long Sidecars { get; private set; }

    /// <returns>False when the file is gone, so the row is not written either.</returns>
    public async Task<bool> CopyAsync(DbDataReader row, CancellationToken cancellationToken)
    {
        var key = row.GetString(row.GetOrdinal("storage_key"));
        var recorded = row.GetString(row.GetOrdinal("sha256"));
        var chatId = row.GetString(row.GetOrdinal("chat_id"));
        var id = row.GetString(row.GetOrdinal("id"));
        await using (var content = await blobs.OpenAsync(key, cancellationToken))
        {
            if (content is null)
            {
                return false;
            }
            await using var hashing = new HashingStream(content);
            var entry = BackupArchive.Entry(BackupArchive.FilesFolder + key, recorded);
            entry.DataStream = hashing;
            await tar.WriteEntryAsync(entry, cancellationToken);
            if (hashing.Sha256() != recorded)
            {
                problems.Add($"{key} in {blobs.Description} does not match the SHA-256 recorded when it was stored; the archive keeps it as found, and verify will name it.");
            }
            Files++;
            Bytes += hashing.BytesRead;
        }
        await CopySidecarAsync(BlobKeys.Meta(chatId, id), cancellationToken);
        return true;
    }

    /// <summary>Sidecars are small: read whole, so their checksum can lead their entry.</summary>
    private async Task CopySidecarAsync(string key, CancellationToken cancellationToken)
    {
        await using var content = await blobs.OpenAsync(key, cancellationToken);
        if (content is null)
        {
            return;
        }
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var entry = BackupArchive.Entry(BackupArchive.FilesFolder + key, BackupArchive.Sha256(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        buffer.Position = 0;
        entry.DataStream = buffer;
        await tar.WriteEntryAsync(entry, cancellationToken);
        Sidecars++;
    }
}
