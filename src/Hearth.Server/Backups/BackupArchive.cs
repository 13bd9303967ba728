using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;

namespace Hearth.Server.Backups;

/// <summary>
/// The archive's layout: a POSIX (PAX) tar written front to back, so neither writing nor reading holds more than
/// one entry. Rows are JSON lines per table (database-neutral: a backup of SQLite restores onto PostgreSQL and
/// back) in numbered chunks of a few megabytes; files keep their storage keys; the manifest comes last, once
/// counts and checksums are known. Every entry carries its own SHA-256 in its header, so a damaged entry is
/// named by itself.
/// </summary>
internal static class BackupArchive
{
    public const string Format = "hearth-backup";
    public const int FormatVersion = 1;
    public const string ManifestEntry = "manifest.json";
    public const string TablesFolder = "tables/";
    public const string FilesFolder = "files/";
    public const string SecretEntry = "secret/webui_secret_key";
    public const string Sha256Attribute = "HEARTH.sha256";
    public const string RowsAttribute = "HEARTH.rows";

    /// <summary>A chunk is closed once it holds this many bytes, so a table of any size is written a chunk at a time.</summary>
    public const int ChunkBytes = 4 * 1024 * 1024;

    public static string ChunkEntry(string table, int number) =>
        $"{TablesFolder}{table}/{number.ToString("D6", CultureInfo.InvariantCulture)}.jsonl";

    /// <summary>The table and chunk number of <c>tables/{table}/{NNNNNN}.jsonl</c>; null for other names.</summary>
    public static (string Table, int Number)? ParseChunk(string name)
    {
        if (!name.StartsWith(TablesFolder, StringComparison.Ordinal) || !name.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = name[TablesFolder.Length..^".jsonl".Length].Split('/');
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (parts[0], number)
            : null;
    }

    public static PaxTarEntry Entry(string name, string sha256, long? rows = null)
    {
        var attributes = new Dictionary<string, string> { [Sha256Attribute] = sha256 };
        if (rows is { } count)
        {
            attributes[RowsAttribute] = count.ToString(CultureInfo.InvariantCulture);
        }
        return new PaxTarEntry(TarEntryType.RegularFile, name, attributes) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
    }

    public static string? Attribute(TarEntry entry, string name) =>
        entry is PaxTarEntry pax && pax.ExtendedAttributes.TryGetValue(name, out var value) ? value : null;

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    public static string Sha256(ReadOnlySpan<byte> bytes) => Hex(SHA256.HashData(bytes));
}
