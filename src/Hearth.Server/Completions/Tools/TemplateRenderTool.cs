using System.Text;
using System.Text.Json.Nodes;
using HandlebarsDotNet;

namespace Hearth.Server.Completions.Tools;

/// <summary><c>template_render</c>: a Handlebars template and JSON data rendered into an HTML document, saved as an artifact.</summary>
internal sealed class TemplateRenderTool : ITool
{
    public string Id => "template_render";
    // Renders data into a page within fixed limits; it runs nothing of the caller's.
    public string? Permission => null;
    public string Description => "Render a Handlebars template with JSON data into an HTML report that is saved for the user.";
    public JsonObject Parameters => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["template"] = new JsonObject { ["type"] = "string", ["description"] = "A Handlebars template producing HTML" },
            ["data"] = new JsonObject { ["type"] = "object", ["description"] = "The values the template uses" },
            ["name"] = new JsonObject { ["type"] = "string", ["description"] = "File name of the report, without extension" },
        },
        ["required"] = new JsonArray("template"),
    };

    public Task<ToolResult> RunAsync(JsonObject arguments, CancellationToken cancellationToken)
    {
        if (Chats.MessageTree.String(arguments["template"]) is not { } template)
        {
            return Task.FromResult(new ToolResult("The argument 'template' (a string) is required.", [], IsError: true));
        }
        string html;
        try
        {
            html = Handlebars.Create().Compile(template)(Plain(arguments["data"]) ?? new Dictionary<string, object?>());
        }
        catch (HandlebarsException e)
        {
            return Task.FromResult(new ToolResult($"The template does not compile: {e.Message}", [], IsError: true));
        }
        var name = (Chats.MessageTree.String(arguments["name"]) is { Length: > 0 } given ? given : "report") + ".html";
        var bytes = Encoding.UTF8.GetBytes(html);
        return Task.FromResult(new ToolResult($"Rendered {name} ({bytes.Length} bytes).", [new ToolFile(name, bytes)]));
    }

    /// <summary>JSON as dictionaries, lists and primitives, which Handlebars walks.</summary>
    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
            System.Text.Json.JsonValueKind.Number => Chats.MessageTree.Numeric(value),
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };
}
