using System.Text.Json.Nodes;

namespace Hearth.Server.Completions.Tools;

/// <summary>The built-in tools by id, and their OpenAI <c>tools</c> declarations.</summary>
internal sealed class ToolRegistry(IEnumerable<ITool> tools)
{
    private readonly Dictionary<string, ITool> _tools = tools.ToDictionary(t => t.Id);

    public IEnumerable<ToolSpec> All => _tools.Values.Select(t => new ToolSpec(t.Id, t.Id, t.Description, t.Parameters));

    public ITool? Find(string id) => _tools.GetValueOrDefault(id);

    public static JsonObject Declaration(ITool tool) => new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = tool.Id,
            ["description"] = tool.Description,
            ["parameters"] = tool.Parameters.DeepClone(),
        },
    };

    /// <summary>Runs a tool with a model's arguments (a JSON string, as OpenAI sends them); bad arguments are a tool error.</summary>
    public async Task<ToolResult> RunAsync(string id, JsonNode? arguments, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } tool)
        {
            return new ToolResult($"There is no tool named '{id}'.", [], IsError: true);
        }
        JsonObject args;
        try
        {
            args = arguments switch
            {
                JsonObject obj => obj,
                JsonValue text when text.TryGetValue<string>(out var json) => JsonNode.Parse(json.Length == 0 ? "{}" : json) as JsonObject ?? new JsonObject(),
                _ => new JsonObject(),
            };
        }
        catch (System.Text.Json.JsonException e)
        {
            return new ToolResult($"The arguments are not valid JSON: {e.Message}", [], IsError: true);
        }
        return await tool.RunAsync(args, cancellationToken);
    }
}
