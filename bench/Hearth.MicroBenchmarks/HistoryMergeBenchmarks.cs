using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Hearth.Benchmarks;
using Hearth.Server.Chats;

namespace Hearth.MicroBenchmarks;

/// <summary>
/// The save-merge rules a <c>POST /{id}</c> runs (<see cref="HistoryMerge"/>): the posted history laid over the
/// stored one, whether each stored reply survives its posted copy, and a parent given a child it does not list.
/// </summary>
[MemoryDiagnoser]
public class HistoryMergeBenchmarks
{
    private JsonObject _stored = null!;
    private JsonObject _posted = null!;
    private List<(string Stored, string Posted)> _replies = null!;
    private StoredMessage _parent = null!;

    [Params(10, 1000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var chat = new ChatSeeder().Chat("A chat", Messages);
        _stored = (JsonObject)chat["history"]!.DeepClone();
        _posted = (JsonObject)chat["history"]!.DeepClone();
        var split = MessageTree.Split(chat);
        _replies = split.Messages.Where(m => m.Role == "assistant").Select(m => (m.Body, m.Body)).ToList();
        _parent = split.Messages[0];
    }

    [Benchmark]
    public JsonNode? Overlay() => HistoryMerge.Overlay(_stored, _posted);

    [Benchmark]
    public int KeepsStoredReplies() => _replies.Count(r => HistoryMerge.KeepsStoredReply(r.Stored, r.Posted));

    [Benchmark]
    public object? WithChildren() => HistoryMerge.WithChildren(_parent, ["a-new-reply"]);
}
