using System.Data.Common;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace Hearth.Server.Backups;

/// <summary>
/// Writes one table's rows as JSON lines into chunk entries of about <see cref="BackupArchive.ChunkBytes"/>: a
/// chunk is built in memory (its size and checksum go in its header), so memory stays one chunk whatever the table.
/// </summary>
internal sealed class TableChunkWriter(TarWriter tar, BackupTable table) : IDisposable
{
    private readonly MemoryStream _chunk = new();
    private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private Utf8JsonWriter? _json;
    private long _rows;
    private long _chunkRows;
    private long _bytes;
    private int _chunks;

    public long Rows => _rows;

    public async Task AddAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        _json ??= new Utf8JsonWriter(_chunk, RowJson.Options);
        RowJson.Write(_json, reader, table);
        _json.Flush();
        _json.Reset(_chunk);
        _chunk.WriteByte((byte)'\n');
        _rows++;
        _chunkRows++;
        if (_chunk.Length >= BackupArchive.ChunkBytes)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is left (at least one chunk per table, even empty) and sums the table up for the manifest.</summary>
    public async Task<TableSummary> CloseAsync(CancellationToken cancellationToken)
    {
        if (_chunkRows > 0 || _chunks == 0)
        {
            await FlushAsync(cancellationToken);
        }
        return new TableSummary(table.Name, _rows, _chunks, _bytes, BackupArchive.Hex(_whole.GetHashAndReset()));
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var bytes = new ReadOnlyMemory<byte>(_chunk.GetBuffer(), 0, (int)_chunk.Length);
        _whole.AppendData(bytes.Span);
        var entry = BackupArchive.Entry(BackupArchive.ChunkEntry(table.Name, ++_chunks), BackupArchive.Sha256(bytes.Span), _chunkRows);
        entry.DataStream = new MemoryStream(_chunk.GetBuffer(), 0, (int)_chunk.Length, writable: false);
        await tar.WriteEntryAsync(entry, cancellationToken);
        _bytes += bytes.Length;
        _chunk.SetLength(0);
        _chunkRows = 0;
    }

    public void Dispose()
    {
        _json?.Dispose();
        _whole.Dispose();
        _chunk.Dispose();
    }
}
