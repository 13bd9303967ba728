using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Hearth.Server.Backups;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (a field count per row, then each value as its length and its bytes, big
/// endian), gathered in one buffer and sent a buffer at a time. Npgsql's importer writes the same bytes, but its
/// per-value machinery cost more than reading the source; this format is all migrate-db needs. The SHA-256 of the
/// bytes is the table's fingerprint: it changes with any value, and without a stream it is worked out alone.
/// </summary>
internal sealed class BinaryCopyRows : IDisposable
{
    /// <summary>Starts every fingerprint, so marks that an earlier way of hashing left are told apart from changed rows.</summary>
    public const string FingerprintVersion = "copy-1:";

    private const int SendAt = 64 * 1024;

    // "PGCOPY\n\xff\r\n\0", no flags, no header extension.
    private static ReadOnlySpan<byte> Header => [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    // A field count of -1.
    private static ReadOnlySpan<byte> Trailer => [0xff, 0xff];

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Stream? _to;
    private byte[] _buffer = new byte[2 * SendAt];
    private int _used;

    /// <param name="to">The COPY's stream; null to work out the fingerprint alone.</param>
    public BinaryCopyRows(Stream? to)
    {
        _to = to;
        Header.CopyTo(Room(Header.Length));
    }

    public long Rows { get; private set; }

    /// <summary>Whether a row of <paramref name="text"/> can hold it: PostgreSQL's text is valid UTF-8 without NUL.</summary>
    public static bool IsStorableText(ReadOnlySpan<byte> text) => Utf8.IsValid(text) && !text.Contains((byte)0);

    public void StartRow(int fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Room(2), checked((short)fields));
        Rows++;
    }

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Room(4), -1);

    public void Boolean(bool value)
    {
        var field = Room(5);
        BinaryPrimitives.WriteInt32BigEndian(field, 1);
        field[4] = value ? (byte)1 : (byte)0;
    }

    public void Integer(int value)
    {
        var field = Room(8);
        BinaryPrimitives.WriteInt32BigEndian(field, 4);
        BinaryPrimitives.WriteInt32BigEndian(field[4..], value);
    }

    public void BigInt(long value)
    {
        var field = Room(12);
        BinaryPrimitives.WriteInt32BigEndian(field, 8);
        BinaryPrimitives.WriteInt64BigEndian(field[4..], value);
    }

    /// <summary>A text value as UTF-8 (see <see cref="IsStorableText"/>).</summary>
    public void Text(ReadOnlySpan<byte> utf8)
    {
        var field = Room(4 + utf8.Length);
        BinaryPrimitives.WriteInt32BigEndian(field, utf8.Length);
        utf8.CopyTo(field[4..]);
    }

    public void Text(string text)
    {
        var field = Room(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, field[4..]);
        BinaryPrimitives.WriteInt32BigEndian(field, length);
        // Room reserved the most the text could take; what it did not use stays free.
        _used -= field.Length - 4 - length;
    }

    /// <summary>Sends what has gathered once it is a buffer's worth; call between rows.</summary>
    public ValueTask SendIfFullAsync(CancellationToken cancellationToken) =>
        _used >= SendAt ? SendAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>The rest of the rows and the format's end; the stream is then complete.</summary>
    public ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        Trailer.CopyTo(Room(Trailer.Length));
        return SendAsync(cancellationToken);
    }

    /// <summary>The fingerprint of every row; call once, after <see cref="FinishAsync"/>.</summary>
    public string Sha256() => FingerprintVersion + BackupArchive.Hex(_hash.GetHashAndReset());

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        _hash.AppendData(_buffer, 0, _used);
        if (_to is not null)
        {
            await _to.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken);
        }
        _used = 0;
    }

    /// <summary>The next <paramref name="bytes"/> of the buffer, which grows to hold a row larger than it.</summary>
    private Span<byte> Room(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _used + bytes));
        }
        var room = _buffer.AsSpan(_used, bytes);
        _used += bytes;
        return room;
    }

    public void Dispose() => _hash.Dispose();
}
