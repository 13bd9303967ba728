using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Hearth.Server.ArtifactFiles.Blobs;

namespace Hearth.Server.Backups;

/// <summary>The manifest (when there is one) and every problem found, each naming the entry or table it concerns.</summary>
internal sealed record VerifyOutcome(BackupManifest? Manifest, IReadOnlyList<string> Problems)
{
    public bool Sound => Manifest is not null && Problems.Count == 0;
}

/// <summary>
/// <c>verify</c>: reads an archive front to back without restoring it and checks every entry against the checksum
/// in its header, each table's chunks (none missing, rows and bytes and SHA-256 as the manifest says), and the
/// files (each <c>artifact_files</c> row has its file, no file is unaccounted for, count and bytes as the manifest
/// says). Memory: one chunk, plus a key per file.
/// </summary>
internal static class ArchiveVerifier
{
    public static async Task<VerifyOutcome> VerifyAsync(Stream input, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var tally = new ArchiveTally(problems);
        BackupManifest? manifest = null;
        var manifestSeen = false;
        string? last = null;
        try
        {
            using var reader = new TarReader(input, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                last = entry.Name;
                progress?.Report(entry.Name);
                if (manifestSeen)
                {
                    problems.Add($"{entry.Name} comes after {BackupArchive.ManifestEntry}, which must be the last entry.");
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    problems.Add($"{entry.Name} is not a file, and a Hearth backup holds only files.");
                    continue;
                }
                // An empty entry (a table without rows) has no data stream.
                var data = entry.DataStream ?? Stream.Null;
                var declared = BackupArchive.Attribute(entry, BackupArchive.Sha256Attribute);
                if (declared is null)
                {
                    problems.Add($"{entry.Name} has no checksum in its header.");
                }
                if (entry.Name == BackupArchive.ManifestEntry)
                {
                    manifestSeen = true;
                    var bytes = await ReadAllAsync(data, cancellationToken);
                    CheckSum(entry.Name, BackupArchive.Sha256(bytes), declared, problems);
                    manifest = BackupManifest.Parse(bytes);
                    if (manifest is null)
                    {
                        problems.Add($"{BackupArchive.ManifestEntry} is not the manifest of a Hearth backup.");
                    }
                }
                else if (BackupArchive.ParseChunk(entry.Name) is { } chunk)
                {
                    var bytes = await ReadAllAsync(data, cancellationToken);
                    CheckSum(entry.Name, BackupArchive.Sha256(bytes), declared, problems);
                    tally.Chunk(entry.Name, chunk.Table, chunk.Number, bytes, BackupArchive.Attribute(entry, BackupArchive.RowsAttribute));
                }
                else if (entry.Name.StartsWith(BackupArchive.FilesFolder, StringComparison.Ordinal) || entry.Name == BackupArchive.SecretEntry)
                {
                    var (sha, length) = await HashAsync(data, cancellationToken);
                    CheckSum(entry.Name, sha, declared, problems);
                    tally.File(entry.Name, length);
                }
                else
                {
                    problems.Add($"{entry.Name} is no part of a Hearth backup.");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException or JsonException)
        {
            problems.Add($"the archive is damaged {(last is null ? "at its start" : $"after {last}")}: {e.Message.TrimEnd('.')}.");
        }
        if (manifest is null)
        {
            if (!manifestSeen)
            {
                problems.Add($"{BackupArchive.ManifestEntry} is missing: the archive was cut short, or is not a Hearth backup.");
            }
            return new VerifyOutcome(null, problems);
        }
        tally.Compare(manifest);
        return new VerifyOutcome(manifest, problems);
    }

    private static void CheckSum(string name, string actual, string? declared, List<string> problems)
    {
        if (declared is not null && !string.Equals(actual, declared, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{name} is damaged: its content does not match the SHA-256 in its header.");
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream data, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await data.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task<(string Sha256, long Length)> HashAsync(Stream data, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        return (BackupArchive.Hex(hash.GetHashAndReset()), length);
    }
}
