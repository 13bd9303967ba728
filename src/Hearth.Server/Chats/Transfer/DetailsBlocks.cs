using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// Open WebUI's collapsible blocks inside an assistant message's <c>content</c>, in the shapes its web client
/// parses (<c>&lt;details type="tool_calls|reasoning|code_interpreter"&gt;</c>): attribute values are JSON,
/// HTML-escaped; the summary line is what the web client shows when it cannot render the block itself.
/// </summary>
internal static class DetailsBlocks
{
    public static string ToolCall(string id, string name, string arguments, string? result, bool isError = false) =>
        $"<details type=\"tool_calls\" done=\"true\" id=\"{Attribute(id)}\" name=\"{Attribute(name)}\" " +
        $"arguments=\"{Attribute(Json(arguments))}\" result=\"{Attribute(Json(result ?? ""))}\" files=\"\" embeds=\"\"" +
        (isError ? " error=\"true\"" : "") + ">\n<summary>Tool Executed</summary>\n</details>\n";

    /// <summary>A model's thinking, quoted line by line as the web client expects; the duration in seconds when known.</summary>
    public static string Reasoning(string text, long? seconds)
    {
        var quoted = string.Join("\n", text.Trim().Split('\n').Select(line => line.StartsWith('>') ? line : "> " + line));
        return seconds is { } duration
            ? $"<details type=\"reasoning\" done=\"true\" duration=\"{duration}\">\n<summary>Thought for {duration} seconds</summary>\n{quoted}\n</details>\n"
            : $"<details type=\"reasoning\" done=\"true\">\n<summary>Thoughts</summary>\n{quoted}\n</details>\n";
    }

    /// <summary>Code the model ran and what it printed (<c>output</c> is the web client's <c>{stdout, stderr, result}</c>).</summary>
    public static string CodeInterpreter(string language, string code, string? output) =>
        $"<details type=\"code_interpreter\" done=\"true\" output=\"{Attribute(new JsonObject { ["stdout"] = output ?? "" }.ToJsonString(MessageTree.Compact))}\">\n" +
        $"<summary>Analyzed</summary>\n{Fence(language, code)}</details>\n";

    /// <summary>A fenced code block, its fence longer than any run of backticks inside the code.</summary>
    public static string Fence(string language, string code)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in code)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}{language}\n{code.TrimEnd('\n')}\n{fence}\n";
    }

    private static string Json(string value) => JsonSerializer.Serialize(value, MessageTree.Compact);

    /// <summary>Escapes what ends or breaks an attribute (as Python's <c>html.escape</c> does), leaving other characters readable.</summary>
    private static string Attribute(string value) =>
        value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#x27;");
}
