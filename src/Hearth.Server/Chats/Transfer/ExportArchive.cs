using System.IO.Compression;
using Hearth.Server.Common;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// The files of an export <c>.zip</c> besides its conversations, found by the names the conversations use:
/// ChatGPT names a file by its asset id followed by <c>-</c> and the original name (<c>file-abc-photo.jpg</c>,
/// <c>dalle-generations/file-abc-….webp</c>); a <c>sandbox:/mnt/data/…</c> link names the file itself.
/// </summary>
internal sealed class ExportArchive
{
    private readonly ZipArchiveEntry[] _entries;
    private readonly string[] _names;
    private readonly ReadBudget _unpacked;

    /// <param name="unpacked">What the whole import may unpack, charged by every file read through <see cref="Open"/>.</param>
    public ExportArchive(ZipArchive zip, ReadBudget unpacked)
    {
        _entries = zip.Entries.Where(e => e.Name.Length > 0 && !e.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
        _names = _entries.Select(e => e.Name).ToArray();
        _unpacked = unpacked;
    }

    /// <summary>What the files would unpack to if every one were read, as their entries declare it.</summary>
    public long DeclaredLength => _entries.Sum(e => e.Length);

    /// <summary>The entry's bytes, unpacked as they are read and charged to the import's budget.</summary>
    public Stream Open(ZipArchiveEntry entry) => _unpacked.Watch(entry.Open());

    /// <summary>The entry named <paramref name="exportName"/>, or named by it as an id prefix, or ending in <c>-</c> and it.</summary>
    public ZipArchiveEntry? Find(string exportName)
    {
        var at = Array.BinarySearch(_names, exportName, StringComparer.Ordinal);
        if (at >= 0)
        {
            return _entries[at];
        }
        for (var i = ~at; i < _names.Length && _names[i].StartsWith(exportName, StringComparison.Ordinal); i++)
        {
            if (_names[i][exportName.Length] is '-' or '.')
            {
                return _entries[i];
            }
        }
        return _entries.FirstOrDefault(e => e.Name.EndsWith("-" + exportName, StringComparison.Ordinal));
    }

    /// <summary>The original name inside an entry's name (<c>file-abc-photo.jpg</c> → <c>photo.jpg</c>), else the entry's name.</summary>
    public static string OriginalName(ZipArchiveEntry entry, string exportName) =>
        entry.Name.Length > exportName.Length + 1 && entry.Name.StartsWith(exportName + "-", StringComparison.Ordinal)
            ? entry.Name[(exportName.Length + 1)..]
            : entry.Name;
}
