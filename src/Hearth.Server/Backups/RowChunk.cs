using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;

namespace Hearth.Server.Backups;

/// <summary>
/// A table's rows as JSON lines (<see cref="RowJson"/>), gathered in memory up to about
/// <see cref="BackupArchive.ChunkBytes"/> and then taken whole: a backup writes a chunk as an archive entry. The
/// SHA-256 of all of a table's lines is kept across chunks (the manifest's table checksum).
/// </summary>
internal sealed class RowChunk(BackupTable table) : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private Utf8JsonWriter? _json;

    public BackupTable Table => table;

    /// <summary>Rows added, over every chunk taken.</summary>
    public long Rows { get; private set; }

    /// <summary>Rows in the chunk being gathered.</summary>
    public long PendingRows { get; private set; }

    public bool Full => _buffer.Length >= BackupArchive.ChunkBytes;

    public void Add(DbDataReader reader)
    {
        _json ??= new Utf8JsonWriter(_buffer, RowJson.Options);
        RowJson.Write(_json, reader, table);
        _json.Flush();
        _json.Reset(_buffer);
        _buffer.WriteByte((byte)'\n');
        Rows++;
        PendingRows++;
    }

    /// <summary>
    /// The gathered lines, valid until the next <see cref="Add"/> (the buffer is reused), and counted into the
    /// table's checksum; the next chunk starts empty.
    /// </summary>
    public ReadOnlyMemory<byte> Take()
    {
        var bytes = new ReadOnlyMemory<byte>(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        _whole.AppendData(bytes.Span);
        _buffer.SetLength(0);
        PendingRows = 0;
        return bytes;
    }

    /// <summary>The SHA-256 of every line taken so far; call once, after the last <see cref="Take"/>.</summary>
    public string Sha256() => BackupArchive.Hex(_whole.GetHashAndReset());

    public void Dispose()
    {
        _json?.Dispose();
        _whole.Dispose();
        _buffer.Dispose();
    }
}
