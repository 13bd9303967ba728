using System.Text;
using System.Text.Json;
using Hearth.Server.Completions;

namespace Hearth.Tests.Units;

/// <summary>The byte-level reading of a model server's stream: its lines, and the few fields of a chunk Hearth acts on.</summary>
public sealed class StreamChunkTests
{
    private static ChunkFields Read(string json) => ChunkFields.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void AChunksContentFinishReasonToolCallsAndUsageAreReadFromTheFirstChoice()
    {
        var chunk = Read("""
            {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"h\u00e9\"llo","tool_calls":[{"index":0,"id":"t","function":{"name":"f"}}]},
             "finish_reason":"stop","logprobs":{"content":[{"x":[1,2]}]}},{"index":1,"delta":{"content":"other"}}],
             "usage":{"prompt_tokens":3,"completion_tokens":4},"extra":[{"choices":[]}]}
            """);
        Assert.Equal("hé\"llo", chunk.Content);
        Assert.Equal("stop", chunk.FinishReason);
        Assert.Equal("""[{"index":0,"id":"t","function":{"name":"f"}}]""", chunk.ToolCalls!.ToJsonString());
        Assert.Equal("""{"prompt_tokens":3,"completion_tokens":4}""", chunk.Usage!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"choices":[],"usage":null}""")]
    [InlineData("""{"choices":{"0":{"delta":{"content":"x"}}}}""")]
    [InlineData("""{"choices":[null,{"delta":{"content":"x"}}]}""")]
    [InlineData("""{"choices":[{"delta":{"content":7,"tool_calls":{}},"finish_reason":null}]}""")]
    [InlineData("""{"choices":[{"delta":"text"}]}""")]
    [InlineData("""[{"choices":[{"delta":{"content":"x"}}]}]""")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void FieldsOfAnotherShapeThanOpenAisAreAbsent(string json)
    {
        Assert.Equal(default, Read(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"choices\":[")]
    [InlineData("{\"choices\":[]} trailing")]
    [InlineData("{\"choices\":[]}{}")]
    [InlineData("{'a':1}")]
    public void AChunkThatIsNotOneJsonValueIsRefused(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Read(json));
    }

    [Fact]
    public async Task LinesEndAtNewlinesReturnsOrBothAndTheLastNeedsNoEnd()
    {
        Assert.Equal(["a", "b", "", "c", "d", "", "e"], await LinesAsync("\uFEFFa\nb\r\n\r\nc\rd\n\ne", readSize: 1));
        Assert.Equal(["a", "b", "", "c", "d", "", "e"], await LinesAsync("\uFEFFa\nb\r\n\r\nc\rd\n\ne", readSize: 4096));
        Assert.Equal(["x", ""], await LinesAsync("x\r\r", readSize: 1));
        Assert.Empty(await LinesAsync("", readSize: 10));
    }

    [Fact]
    public async Task ALineLongerThanTheBufferIsReadWhole()
    {
        var longLine = new string('x', 100_000) + "é";
        Assert.Equal(["first", longLine, "last"], await LinesAsync($"first\n{longLine}\nlast\n", readSize: 3000));
    }

    private static async Task<List<string>> LinesAsync(string text, int readSize)
    {
        using var reader = new SseLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text), readSize));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }
        return lines;
    }

    /// <summary>A stream that hands out at most <c>readSize</c> bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] bytes, int readSize) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
