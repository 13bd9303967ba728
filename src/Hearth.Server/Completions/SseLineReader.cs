using System.Buffers;

namespace Hearth.Server.Completions;

/// <summary>
/// Reads a model server's stream line by line as UTF-8 bytes, without decoding them: a line ends at
/// <c>\n</c>, <c>\r\n</c> or <c>\r</c> (as a text reader splits them), a byte order mark at the start is
/// dropped, and the last line needs no end. A line is valid until the next read; the buffer grows for a
/// long line and goes back to the pool on dispose.
/// </summary>
internal sealed class SseLineReader(Stream stream) : IDisposable
{
    private const int StartBytes = 8 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(StartBytes);
    private int _start;
    private int _end;
    private bool _ended;
    private bool _first = true;

    /// <summary>A <c>\r</c> ended the last line: a <c>\n</c> right after it belongs to that end.</summary>
    private bool _afterReturn;

    /// <summary>The next line without its end, or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            if (_afterReturn && _start < _end)
            {
                _afterReturn = false;
                if (_buffer[_start] == (byte)'\n')
                {
                    _start++;
                }
            }
            var held = _buffer.AsSpan(_start, _end - _start);
            var end = held[searched..].IndexOfAny((byte)'\n', (byte)'\r');
            if (end >= 0)
            {
                end += searched;
                var line = _buffer.AsMemory(_start, end);
                _afterReturn = held[end] == (byte)'\r';
                _start += end + 1;
                return WithoutMark(line);
            }
            searched = held.Length;
            if (_ended)
            {
                if (held.Length == 0)
                {
                    return null;
                }
                _start = _end;
                return WithoutMark(_buffer.AsMemory(_end - held.Length, held.Length));
            }
            await FillAsync(cancellationToken);
        }
    }

    /// <summary>The first line without the byte order mark it may start with.</summary>
    private ReadOnlyMemory<byte> WithoutMark(ReadOnlyMemory<byte> line)
    {
        var first = _first;
        _first = false;
        return first && line.Span.StartsWith("\uFEFF"u8) ? line[3..] : line;
    }

    /// <summary>Reads more after what is held, moving it to the front or into a larger buffer first when needed.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var held = _end - _start;
        if (_end == _buffer.Length)
        {
            var target = held > _buffer.Length / 2 ? ArrayPool<byte>.Shared.Rent(_buffer.Length * 2) : _buffer;
            Array.Copy(_buffer, _start, target, 0, held);
            if (target != _buffer)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }
            (_start, _end) = (0, held);
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _ended = true;
            return;
        }
        _end += read;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
