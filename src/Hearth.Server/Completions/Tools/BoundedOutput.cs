using System.Text;

namespace Hearth.Server.Completions.Tools;

/// <summary>
/// A string writer that refuses to grow past a number of UTF-8 bytes: a render stops at the limit instead of
/// filling memory with output it would refuse anyway.
/// </summary>
internal sealed class BoundedOutput(long maxBytes) : TextWriter
{
    private readonly StringBuilder _text = new();
    private long _bytes;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write([value]);

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        long bytes = 0;
        foreach (var c in buffer)
        {
            // A surrogate is half of a 4-byte character.
            bytes += c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;
        }
        if (_bytes + bytes > maxBytes)
        {
            throw new RenderLimitException("output",
                $"The template stopped: its output passed {maxBytes} bytes (setting TEMPLATE_RENDER_MAX_OUTPUT_BYTES).");
        }
        _bytes += bytes;
        _text.Append(buffer);
    }

    public override string ToString() => _text.ToString();
}
