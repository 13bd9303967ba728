using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Hearth.Server.Chats;
using Hearth.Server.Completions;

namespace Hearth.MicroBenchmarks;

/// <summary>
/// What a saved stream does with each chunk a model server sends: finds its fields (<see cref="ChunkFields"/> over the
/// bytes, against parsing the chunk into a <see cref="JsonNode"/> as Hearth did before), and reads a whole 500-chunk
/// stream's lines (<see cref="SseLineReader"/>, against a text reader).
/// </summary>
[MemoryDiagnoser]
public class StreamChunkBenchmarks
{
    private static readonly byte[] Chunk = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"content":"tok17 "},"finish_reason":null}]}""");

    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"data: {Encoding.UTF8.GetString(Chunk)}\n\n", 500)) + "data: [DONE]\n\n");

    [Benchmark]
    public string? ParsedAsNode()
    {
        var chunk = JsonNode.Parse(Encoding.UTF8.GetString(Chunk)) as JsonObject;
        var delta = chunk?["choices"]?[0]?["delta"];
        _ = chunk?["usage"] as JsonObject;
        _ = delta?["tool_calls"] as JsonArray;
        _ = MessageTree.String(chunk?["choices"]?[0]?["finish_reason"]);
        return MessageTree.String(delta?["content"]);
    }

    [Benchmark]
    public string? ReadAsBytes() => ChunkFields.Read(Chunk).Content;

    [Benchmark]
    public async Task<int> StreamLinesAsText()
    {
        using var reader = new StreamReader(new MemoryStream(Stream), Encoding.UTF8);
        var lines = 0;
        while (await reader.ReadLineAsync() is not null)
        {
            lines++;
        }
        return lines;
    }

    [Benchmark]
    public async Task<int> StreamLinesAsBytes()
    {
        using var reader = new SseLineReader(new MemoryStream(Stream));
        var lines = 0;
        while (await reader.ReadLineAsync(CancellationToken.None) is not null)
        {
            lines++;
        }
        return lines;
    }
}
