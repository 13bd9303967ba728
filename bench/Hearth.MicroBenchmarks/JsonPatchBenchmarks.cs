using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Hearth.Server.KeyValue;

namespace Hearth.MicroBenchmarks;

/// <summary>
/// An RFC 6902 patch (<see cref="JsonPatch"/>) as a PATCH of an artifact value runs it: parsed, then applied to a
/// document of <see cref="Items"/> entries (the original is left as it was).
/// </summary>
[MemoryDiagnoser]
public class JsonPatchBenchmarks
{
    private JsonNode _document = null!;
    private JsonNode _operations = null!;

    [Params(10, 1000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var items = new JsonArray(Enumerable.Range(0, Items)
            .Select(i => (JsonNode)new JsonObject { ["id"] = i, ["title"] = $"Task {i}", ["done"] = i % 3 == 0 }).ToArray());
        _document = new JsonObject { ["title"] = "Todo", ["version"] = 1, ["items"] = items };
        _operations = JsonNode.Parse("""
            [
              {"op": "test", "path": "/version", "value": 1},
              {"op": "replace", "path": "/version", "value": 2},
              {"op": "add", "path": "/items/-", "value": {"id": -1, "title": "New", "done": false}},
              {"op": "replace", "path": "/items/0/done", "value": true},
              {"op": "move", "from": "/items/1", "path": "/items/2"},
              {"op": "copy", "from": "/items/0", "path": "/first"},
              {"op": "remove", "path": "/first"}
            ]
            """)!;
    }

    [Benchmark]
    public object? Parse() => JsonPatch.Parse(_operations, out _);

    [Benchmark]
    public JsonNode? ParseAndApply() => JsonPatch.Parse(_operations, out _)!.TryApply(_document, out var result, out _) ? result : null;
}
