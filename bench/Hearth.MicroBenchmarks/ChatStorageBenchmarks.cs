using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Hearth.Benchmarks;
using Hearth.Server.Chats;

namespace Hearth.MicroBenchmarks;

/// <summary>
/// A chat in the web client's shape split into rows for storage (<see cref="MessageTree.Split"/>) and put back
/// together for the wire: replies relinked to their parents (<see cref="ChildLinks"/>), then the document written
/// with the messages' stored JSON (<see cref="ChatDocumentConverter"/>), its flat list as references.
/// </summary>
[MemoryDiagnoser]
public class ChatStorageBenchmarks
{
    private JsonObject _chat = null!;
    private ChatDocument _document = null!;
    private List<(string Id, string? ParentId, string Body)> _rows = null!;

    /// <summary>Messages on the chat's current branch (history holds a few more: regenerated replies).</summary>
    [Params(10, 1000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _chat = new ChatSeeder().Chat("A chat", Messages);
        var split = MessageTree.Split(_chat);
        _rows = split.Messages.Select(m => (m.Id, m.ParentId, m.Body)).ToList();
        var flat = split.Flat!.Select((item, i) => new FlatItemRow { Pos = i, MessageId = item.MessageId }).ToList();
        _document = new ChatDocument(split.Doc, split.HasTree, split.CurrentId, new ChatContent(ChildLinks.Relink(_rows), flat));
    }

    [Benchmark]
    public object Split() => MessageTree.Split(_chat);

    [Benchmark]
    public object Relink() => ChildLinks.Relink(_rows);

    [Benchmark]
    public byte[] Reassemble() => JsonSerializer.SerializeToUtf8Bytes(_document);
}
