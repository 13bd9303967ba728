using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hearth.Server.Pages;

/// <summary>A piece of a message's text before drawing: its block type (null for Markdown), its attributes, its Markdown.</summary>
internal sealed record RawPiece(string? Type, Dictionary<string, string>? Attributes, string Markdown);

/// <summary>A piece of a message's text as the server-drawn pages show it (<see cref="ContentBlocks"/>).</summary>
public abstract record ContentPart;

/// <summary>Markdown between blocks, drawn (<see cref="SafeMarkdown"/>, math marked).</summary>
public sealed record TextPart(string Html) : ContentPart;

/// <summary>An Open WebUI tool-call block: the tool's name, a one-line summary, its arguments and result as text.</summary>
public sealed record StepPart(string Name, string Summary, string Arguments, string? Result, bool Error) : ContentPart;

/// <summary>A thinking (<c>reasoning</c>) or <c>code_interpreter</c> block: its label, its Markdown drawn, and the code's output.</summary>
public sealed record BlockPart(string Kind, string Label, string Html, string Output) : ContentPart;

/// <summary>
/// Open WebUI's collapsible blocks in a message's text (<c>&lt;details type="tool_calls|reasoning|code_interpreter"&gt;</c>,
/// which its web client and Hearth's imports write), split out for <c>/c/{id}</c> and <c>/s/{id}</c> as the chat app
/// splits them (<c>app/steps.js</c>): attribute values are HTML-escaped (JSON for a tool's arguments and result), so an
/// opening tag holds no <c>&gt;</c>; blocks do not nest. Message text is untrusted: one pass with IndexOf, each search
/// resumed where the last ended, so a text of many unclosed tags costs linear time.
/// </summary>
public static partial class ContentBlocks
{
    private const string Open = "<details";
    private const string Close = "</details>";

    [GeneratedRegex("\\G\\s*([\\w:-]+)\\s*=\\s*\"([^\"]*)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("""^\s*<summary>[\s\S]*?</summary>\s*""")]
    private static partial Regex Summary();

    public static IReadOnlyList<ContentPart> Split(string content) =>
        Pieces(content).Select(piece => piece.Type switch
        {
            null => Text(piece.Markdown),
            "tool_calls" => Step(piece.Attributes!),
            _ => (ContentPart)Block(piece.Type, piece.Attributes!, piece.Markdown),
        }).ToList();

    /// <summary>
    /// A message's text in pieces before anything is drawn: Markdown between blocks (no <see cref="RawPiece.Type"/>), and
    /// each block with its attributes and inner Markdown (the summary line left out, thinking unquoted). What is drawn as
    /// Markdown is what <see cref="ReplyArtifacts"/> numbers html/svg blocks in, as the app does.
    /// </summary>
    internal static IEnumerable<RawPiece> Pieces(string content)
    {
        var last = 0;
        var open = -1;
        var close = -1;
        var at = content.IndexOf(Open, StringComparison.Ordinal);
        while (at != -1)
        {
            var following = content.IndexOf(Open, at + 1, StringComparison.Ordinal);
            if (open < at)
            {
                open = content.IndexOf('>', at);
            }
            if (open == -1)
            {
                break;
            }
            if (close < open)
            {
                close = content.IndexOf(Close, open, StringComparison.Ordinal);
            }
            if (close == -1)
            {
                break;
            }
            // An escaped attribute holds no '<': a tag with another "<details" before its '>' is no block. Skipping it
            // unread keeps a text of many such tags linear.
            var attributes = following != -1 && following < open ? null : Attributes(content, at + Open.Length, open);
            var type = attributes?.GetValueOrDefault("type");
            if (type is not ("tool_calls" or "reasoning" or "code_interpreter"))
            {
                at = following;
                continue;
            }
            if (at > last)
            {
                yield return new RawPiece(null, null, content[last..at]);
            }
            yield return new RawPiece(type, attributes, type == "tool_calls" ? "" : Inner(type, content[(open + 1)..close]));
            last = close + Close.Length;
            // The line the block ends stays with it, so the text after starts a paragraph of its own.
            while (last < content.Length && content[last] is ' ' or '\t')
            {
                last++;
            }
            if (last < content.Length && content[last] == '\n')
            {
                last++;
            }
            at = content.IndexOf(Open, last, StringComparison.Ordinal);
        }
        if (last < content.Length || last == 0)
        {
            yield return new RawPiece(null, null, content[last..]);
        }
    }

    private static string Inner(string type, string inner)
    {
        var body = Summary().Replace(inner, "", 1);
        if (type == "reasoning")
        {
            body = string.Join('\n', body.Split('\n').Select(line => line.StartsWith("> ", StringComparison.Ordinal) ? line[2..] : line.StartsWith('>') ? line[1..] : line));
        }
        return body.Trim();
    }

    /// <summary>Whether any drawn Markdown of <paramref name="parts"/> has math for KaTeX to draw.</summary>
    public static bool HaveMath(IEnumerable<ContentPart> parts) => parts.Any(p =>
        (p is TextPart t ? t.Html : p is BlockPart b ? b.Html : "").Contains("class=\"math-tex", StringComparison.Ordinal));

    private static TextPart Text(string markdown) => new(SafeMarkdown.ToHtml(markdown, math: true));

    /// <summary>The attributes of the tag text between <paramref name="from"/> and <paramref name="to"/>, read in place.</summary>
    private static Dictionary<string, string> Attributes(string content, int from, int to)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var match = Attribute().Match(content, from, to - from); match.Success;
             match = Attribute().Match(content, match.Index + match.Length, to - match.Index - match.Length))
        {
            attributes[match.Groups[1].Value] = WebUtility.HtmlDecode(match.Groups[2].Value);
        }
        return attributes;
    }

    private static StepPart Step(Dictionary<string, string> attributes)
    {
        var result = Json(attributes.GetValueOrDefault("result"));
        var error = attributes.GetValueOrDefault("error") == "true";
        var first = (result ?? "").Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0) ?? "";
        var summary = first.Length > 80 ? first[..79].TrimEnd() + "…" : first;
        summary = error ? "failed" + (summary.Length > 0 ? ": " + summary : "") : summary.Length > 0 ? summary : "done";
        return new StepPart(attributes.GetValueOrDefault("name") is { Length: > 0 } name ? name : "tool", summary,
            Json(attributes.GetValueOrDefault("arguments")) ?? "", result, error);
    }

    private static BlockPart Block(string type, Dictionary<string, string> attributes, string body)
    {
        var done = attributes.GetValueOrDefault("done") != "false";
        var label = type != "reasoning" ? (done ? "Analyzed" : "Analyzing…")
            : !done ? "Thinking…"
            // As the app reads it (parseInt): the leading digits, so "4.5" is 4 seconds.
            : LeadingDigits().Match(attributes.GetValueOrDefault("duration") ?? "") is { Success: true } digits && int.TryParse(digits.Value, out var seconds)
                ? $"Thought for {seconds} second{(seconds == 1 ? "" : "s")}"
                : "Thoughts";
        return new BlockPart(type, label, SafeMarkdown.ToHtml(body, math: true), Output(attributes.GetValueOrDefault("output")));
    }

    [GeneratedRegex(@"^\s*\d{1,9}")]
    private static partial Regex LeadingDigits();

    /// <summary>The code's output: Open WebUI's <c>{stdout, stderr, result}</c>, the parts that are text, one after another.</summary>
    private static string Output(string? raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw ?? "");
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? string.Join('\n', OutputKeys
                    .Select(key => document.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "")
                    .Where(text => text.Length > 0))
                : document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : "";
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Not JSON, or text JSON cannot hold (a lone surrogate): shown as written.
            return raw ?? "";
        }
    }

    private static readonly string[] OutputKeys = ["stdout", "stderr", "result"];

    /// <summary>A JSON attribute as text: a string as it is, anything else indented; what is not JSON as written.</summary>
    private static string? Json(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.String
                ? document.RootElement.GetString()
                : JsonSerializer.Serialize(document.RootElement, IndentedJson);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return raw;
        }
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
