using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Storage;

namespace Hearth.Server.Backups;

/// <summary>What <see cref="ArchiveVerifier"/> found, entry by entry, and its comparison with the manifest at the end.</summary>
internal sealed class ArchiveTally(List<string> problems)
{
    private sealed class TableFound : IDisposable
    {
        public long Rows;
        public long Bytes;
        public int LastChunk;
        public readonly IncrementalHash Whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public void Dispose() => Whole.Dispose();
    }

    private readonly Dictionary<string, TableFound> _tables = new();
    // Keys of artifact_files rows (with their checksum) and of their sidecars, and the files found, with their sizes.
    private readonly Dictionary<string, string> _rowFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rowSidecars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _files = new(StringComparer.Ordinal);
    private bool _secret;

    public void Chunk(string name, string table, int number, byte[] bytes, string? declaredRows)
    {
        if (!_tables.TryGetValue(table, out var found))
        {
            _tables[table] = found = new TableFound();
        }
        for (var missing = found.LastChunk + 1; missing < number; missing++)
        {
            problems.Add($"{BackupArchive.ChunkEntry(table, missing)} is missing.");
        }
        if (number <= found.LastChunk)
        {
            problems.Add($"{name} is out of order or repeated.");
        }
        found.LastChunk = Math.Max(found.LastChunk, number);
        var rows = bytes.Count(b => b == (byte)'\n');
        if (declaredRows is not null && declaredRows != rows.ToString(CultureInfo.InvariantCulture))
        {
            problems.Add($"{name} holds {rows} rows where its header counts {declaredRows}.");
        }
        found.Rows += rows;
        found.Bytes += bytes.Length;
        found.Whole.AppendData(bytes);
        if (table == "artifact_files")
        {
            RememberFiles(name, bytes);
        }
    }

    private void RememberFiles(string name, byte[] bytes)
    {
        var line = 0;
        foreach (var row in JsonLines.Split(bytes))
        {
            line++;
            try
            {
                using var document = JsonDocument.Parse(row);
                var root = document.RootElement;
                _rowFiles[root.GetProperty("storage_key").GetString()!] = root.GetProperty("sha256").GetString()!;
                _rowSidecars.Add(BlobKeys.Meta(root.GetProperty("chat_id").GetString()!, root.GetProperty("id").GetString()!));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                problems.Add($"{name}, row {line}, is not an artifact_files row: {e.Message.TrimEnd('.')}.");
            }
        }
    }

    public void File(string name, long length)
    {
        if (name == BackupArchive.SecretEntry)
        {
            _secret = true;
            return;
        }
        _files[name[BackupArchive.FilesFolder.Length..]] = length;
    }

    public void Compare(BackupManifest manifest)
    {
        if (manifest.FormatVersion > BackupArchive.FormatVersion)
        {
            problems.Add($"the archive is of format {manifest.FormatVersion}, from a newer Hearth ({manifest.HearthVersion}); this one reads format {BackupArchive.FormatVersion}.");
        }
        if (SchemaProblem(manifest, DatabaseProvider.Sqlite) is { } newer)
        {
            problems.Add(newer);
        }
        CompareTables(manifest);
        CompareFiles(manifest);
        if (_secret != (manifest.Secret == "file"))
        {
            problems.Add(_secret ? $"{BackupArchive.SecretEntry} is in the archive, but the manifest does not list it."
                : $"{BackupArchive.SecretEntry} is missing.");
        }
        foreach (var table in _tables.Values)
        {
            table.Dispose();
        }
    }

    private void CompareTables(BackupManifest manifest)
    {
        foreach (var expected in manifest.Tables)
        {
            if (BackupTables.Find(expected.Name) is null)
            {
                problems.Add($"table {expected.Name} is unknown to this Hearth ({Common.CommonSetup.Version}); the archive is from {manifest.HearthVersion}.");
            }
            if (!_tables.TryGetValue(expected.Name, out var found))
            {
                problems.Add($"{BackupArchive.ChunkEntry(expected.Name, 1)} is missing: the archive holds no rows of table {expected.Name}.");
                continue;
            }
            for (var missing = found.LastChunk + 1; missing <= expected.Chunks; missing++)
            {
                problems.Add($"{BackupArchive.ChunkEntry(expected.Name, missing)} is missing.");
            }
            if (found.Rows != expected.Rows)
            {
                problems.Add($"table {expected.Name}: the manifest counts {expected.Rows} rows, the archive holds {found.Rows}.");
            }
            else if (found.Bytes != expected.Bytes || BackupArchive.Hex(found.Whole.GetHashAndReset()) != expected.Sha256)
            {
                problems.Add($"table {expected.Name}: its rows do not match the manifest's SHA-256.");
            }
        }
        foreach (var name in _tables.Keys.Where(name => manifest.Tables.All(t => t.Name != name)))
        {
            problems.Add($"table {name} is in the archive, but the manifest does not list it.");
        }
    }

    private void CompareFiles(BackupManifest manifest)
    {
        foreach (var key in _rowFiles.Keys.Where(key => !_files.ContainsKey(key)))
        {
            problems.Add($"{BackupArchive.FilesFolder}{key} is missing (an artifact_files row names it).");
        }
        var extra = _files.Keys.Where(key => !_rowFiles.ContainsKey(key) && !_rowSidecars.Contains(key)).ToList();
        foreach (var key in extra)
        {
            problems.Add($"{BackupArchive.FilesFolder}{key} is in the archive, but no artifact_files row names it.");
        }
        var files = _files.Where(f => _rowFiles.ContainsKey(f.Key)).ToList();
        if (files.Count != manifest.Files.Count || files.Sum(f => f.Value) != manifest.Files.Bytes)
        {
            problems.Add($"files: the manifest counts {manifest.Files.Count} files of {manifest.Files.Bytes} bytes, " +
                         $"the archive holds {files.Count} of {files.Sum(f => f.Value)} bytes.");
        }
    }

    /// <summary>A newer schema than this Hearth knows cannot be restored by it.</summary>
    public static string? SchemaProblem(BackupManifest manifest, DatabaseProvider provider)
    {
        var newest = MigrationScripts.Embedded(provider).Max(m => m.Version);
        return manifest.SchemaVersion > newest
            ? $"the archive's schema version is {manifest.SchemaVersion}, newer than this Hearth's {newest}: restore it with Hearth {manifest.HearthVersion} or later."
            : null;
    }
}

/// <summary>The lines of a chunk, without their newlines.</summary>
internal static class JsonLines
{
    public static IEnumerable<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> bytes)
    {
        var start = 0;
        while (bytes.Span[start..].IndexOf((byte)'\n') is var length and >= 0)
        {
            yield return bytes.Slice(start, length);
            start += length + 1;
        }
    }
}
