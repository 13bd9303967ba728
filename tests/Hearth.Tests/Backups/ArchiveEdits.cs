using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Backups;

/// <summary>Damage done to a backup archive on purpose: a byte flipped, an entry left out, the manifest rewritten.</summary>
internal static class ArchiveEdits
{
    /// <summary>Flips a byte of the first place <paramref name="text"/> occurs (inside an entry's data, where text is).</summary>
    public static async Task FlipByteOfAsync(string path, string text)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text));
        Assert.True(at >= 0, $"'{text}' is not in the archive");
        bytes[at + 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
    }

    /// <summary>Writes the archive again, each entry through <paramref name="edit"/> (null leaves it out).</summary>
    public static async Task RewriteAsync(string path, Func<string, byte[], byte[]?> edit)
    {
        var copy = path + ".edited";
        await using (var input = File.OpenRead(path))
        await using (var output = File.Create(copy))
        {
            using var reader = new TarReader(input);
            await using var writer = new TarWriter(output, TarEntryFormat.Pax);
            while (await reader.GetNextEntryAsync(copyData: true) is PaxTarEntry entry)
            {
                using var buffer = new MemoryStream();
                if (entry.DataStream is not null)
                {
                    await entry.DataStream.CopyToAsync(buffer);
                }
                if (edit(entry.Name, buffer.ToArray()) is not { } data)
                {
                    continue;
                }
                var edited = new PaxTarEntry(TarEntryType.RegularFile, entry.Name, entry.ExtendedAttributes) { DataStream = new MemoryStream(data) };
                await writer.WriteEntryAsync(edited);
            }
        }
        File.Move(copy, path, overwrite: true);
    }

    /// <summary>The manifest with one table's row count changed by <paramref name="by"/>.</summary>
    public static byte[] RecountManifest(byte[] manifest, string table, int by)
    {
        var document = JsonNode.Parse(manifest)!;
        var entry = document["tables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == table)!;
        entry["rows"] = entry["rows"]!.GetValue<long>() + by;
        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }
}
