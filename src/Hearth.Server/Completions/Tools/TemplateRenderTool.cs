using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using HandlebarsDotNet;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Completions.Tools;

/// <summary><c>template_render</c>: a Handlebars template and JSON data rendered into an HTML document, saved as an artifact.</summary>
/// <remarks>
/// A few bytes of template can ask for unbounded work (five nested <c>{{#each}}</c> over 100 items are 10^10
/// passes), so each render is bounded while it runs (<see cref="TemplateRenderOptions"/>): blocks rendered,
/// output bytes and time, and it stops when the caller goes away. Renders are counted on the
/// <see cref="MeterName"/> meter (<c>hearth.template_render.active</c>, <c>hearth.template_render.renders</c> by outcome).
/// </remarks>
internal sealed class TemplateRenderTool(IOptions<TemplateRenderOptions> options, IMeterFactory meters) : ITool
{
    public const string MeterName = "Hearth.Tools";

    private readonly UpDownCounter<long> _active = meters.Create(MeterName).CreateUpDownCounter<long>(
        "hearth.template_render.active", description: "Template renders running now");
    private readonly Counter<long> _renders = meters.Create(MeterName).CreateCounter<long>(
        "hearth.template_render.renders", description: "Template renders finished, by outcome (rendered, invalid, output, blocks, timeout, cancelled, failed)");

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
        var outcome = "failed";
        _active.Add(1);
        try
        {
            var (html, error) = Render(template, Plain(arguments["data"]) ?? new Dictionary<string, object?>(), cancellationToken, out outcome);
            if (error is not null)
            {
                return Task.FromResult(new ToolResult(error, [], IsError: true));
            }
            var name = (Chats.MessageTree.String(arguments["name"]) is { Length: > 0 } given ? given : "report") + ".html";
            var bytes = Encoding.UTF8.GetBytes(html!);
            return Task.FromResult(new ToolResult($"Rendered {name} ({bytes.Length} bytes).", [new ToolFile(name, bytes)]));
        }
        finally
        {
            _active.Add(-1);
            _renders.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <returns>The HTML, or a message for the model saying why there is none.</returns>
    /// <exception cref="OperationCanceledException">The caller went away; the render stopped with it.</exception>
    private (string? Html, string? Error) Render(string template, object data, CancellationToken cancellationToken, out string outcome)
    {
        var limits = options.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(limits.Timeout);
        var budget = new RenderBudget(limits.MaxBlocks, limits.Timeout, stop.Token, cancellationToken);
        var output = new BoundedOutput(limits.MaxOutputBytes);
        var configuration = new HandlebarsConfiguration();
        configuration.CompileTimeConfiguration.ExpressionMiddleware.Add(budget.Middleware);
        outcome = "failed";
        try
        {
            Handlebars.Create(configuration).Compile(new StringReader(template))(output, data);
        }
        // Handlebars wraps what a partial throws, so the reason may sit a few exceptions down.
        catch (Exception e) when (Find<RenderLimitException>(e) is { } limit)
        {
            outcome = limit.Limit;
            return (null, limit.Message);
        }
        catch (Exception e) when (Find<OperationCanceledException>(e) is not null && cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw new OperationCanceledException(cancellationToken);
        }
        catch (HandlebarsException e)
        {
            outcome = "invalid";
            return (null, $"The template does not compile: {e.Message}");
        }
        outcome = "rendered";
        return (output.ToString(), null);
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
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
