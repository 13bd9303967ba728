using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.KeyValue;

/// <summary>
/// How many bytes a node takes as the compact UTF-8 JSON a patched value is stored as, counted by writing it
/// to a stream that keeps nothing: a patch learns what an operation would add before it allocates it.
/// </summary>
internal static class JsonSize
{
    /// <summary>How patched values are written back: compact, characters kept as they are where JSON allows.</summary>
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The writer ToJsonString(Compact) uses, so the count is the stored length to the byte.
    private static readonly JsonWriterOptions Writer = new() { Encoder = Compact.Encoder, MaxDepth = 64 };

    public static long Of(JsonNode? node) => Count(writer =>
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer, Compact);
        }
    });

    /// <summary>A member name as written, quotes and escapes included (the colon and comma are not).</summary>
    public static long OfName(string name) => Count(writer => writer.WriteStringValue(name));

    private static long Count(Action<Utf8JsonWriter> write)
    {
        var counter = new CountingStream();
        using (var writer = new Utf8JsonWriter(counter, Writer))
        {
            write(writer);
        }
        return counter.Position;
    }

    private sealed class CountingStream : Stream
    {
        private long _count;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _count;
        public override long Position { get => _count; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => _count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _count += buffer.Length;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
