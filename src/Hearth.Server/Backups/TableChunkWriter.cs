using System.Data.Common;
using System.Formats.Tar;

namespace Hearth.Server.Backups;

/// <summary>
/// Writes one table's rows as JSON lines into chunk entries of about <see cref="BackupArchive.ChunkBytes"/>: a
/// chunk is built in memory (its size and checksum go in its header), so memory stays one chunk whatever the table.
/// </summary>
internal sealed class TableChunkWriter(TarWriter tar, BackupTable table) : IDisposable
{
    private readonly RowChunk _chunk = new(table);
    private long _bytes;
    private int _chunks;

    public long Rows => _chunk.Rows;

    public async Task AddAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        _chunk.Add(reader);
        if (_chunk.Full)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is left (at least one chunk per table, even empty) and sums the table up for the manifest.</summary>
    public async Task<TableSummary> CloseAsync(CancellationToken cancellationToken)
    {
        if (_chunk.PendingRows > 0 || _chunks == 0)
        {
            await FlushAsync(cancellationToken);
        }
        return new TableSummary(table.Name, _chunk.Rows, _chunks, _bytes, _chunk.Sha256());
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var rows = _chunk.PendingRows;
        var bytes = _chunk.Take();
        var entry = BackupArchive.Entry(BackupArchive.ChunkEntry(table.Name, ++_chunks), BackupArchive.Sha256(bytes.Span), rows);
        // The chunk's own buffer, written out before the next row reuses it.
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment);
        entry.DataStream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        await tar.WriteEntryAsync(entry, cancellationToken);
        _bytes += bytes.Length;
    }

    public void Dispose() => _chunk.Dispose();
}
