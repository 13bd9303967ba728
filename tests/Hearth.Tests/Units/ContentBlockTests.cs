using Hearth.Server.Pages;

namespace Hearth.Tests.Units;

/// <summary>
/// Issue 14 (Open WebUI's blocks on the server-drawn pages): a message's tool-call, thinking and code blocks are split
/// out of its text as the app splits them (steps.js), their values read as text; malformed or unknown blocks stay text.
/// </summary>
public sealed class ContentBlockTests
{
    private const string ToolBlock = "<details type=\"tool_calls\" done=\"true\" id=\"call_1\" name=\"web_search\" " +
        "arguments=\"&quot;{\\&quot;query\\&quot;: \\&quot;&lt;img src=x&gt;\\&quot;}&quot;\" result=\"&quot;3 results\\nmore&quot;\" files=\"\">\n" +
        "<summary>Tool Executed</summary>\n</details>\n";

    private const string Thinking = "<details type=\"reasoning\" done=\"true\" duration=\"1\">\n<summary>Thought for 1 seconds</summary>\n" +
        "> Wants **totals**.\n> Then $x^2$.\n</details>\n";

    private const string Code = "<details type=\"code_interpreter\" done=\"false\" output=\"{&quot;stdout&quot;: &quot;42\\n&quot;, &quot;stderr&quot;: &quot;warn&quot;}\">\n" +
        "<summary>Analyzing</summary>\n```python\nprint(6 * 7)\n```\n</details>";

    [Fact]
    public void BlocksAreSplitOutInOrderWithTheirValuesAsText()
    {
        var parts = ContentBlocks.Split("Let me look.\n\n" + ToolBlock + "Found **three**.\n\n" + Thinking + Code);

        Assert.Collection(parts,
            p => Assert.Contains("<p>Let me look.</p>", Assert.IsType<TextPart>(p).Html, StringComparison.Ordinal),
            p =>
            {
                var step = Assert.IsType<StepPart>(p);
                Assert.Equal("web_search", step.Name);
                Assert.Equal("3 results", step.Summary);
                Assert.Equal("{\"query\": \"<img src=x>\"}", step.Arguments);
                Assert.Equal("3 results\nmore", step.Result);
            },
            p => Assert.Contains("<strong>three</strong>", Assert.IsType<TextPart>(p).Html, StringComparison.Ordinal),
            p =>
            {
                var thought = Assert.IsType<BlockPart>(p);
                Assert.Equal("Thought for 1 second", thought.Label);
                Assert.Contains("<strong>totals</strong>", thought.Html, StringComparison.Ordinal);
                Assert.DoesNotContain("<blockquote>", thought.Html, StringComparison.Ordinal);
                Assert.Contains("<span class=\"math-tex\">x^2</span>", thought.Html, StringComparison.Ordinal);
            },
            p =>
            {
                var run = Assert.IsType<BlockPart>(p);
                Assert.Equal("Analyzing…", run.Label);
                Assert.Contains("print(6 * 7)", run.Html, StringComparison.Ordinal);
                Assert.Equal("42\n\nwarn", run.Output);
            });
        Assert.True(ContentBlocks.HaveMath(parts));
    }

    [Theory]
    [InlineData("<details type=\"tool_calls\" name=\"x\"> never closed")]
    [InlineData("<details type=\"other\">\n<summary>Mine</summary>\nhi\n</details>")]
    [InlineData("<details")]
    public void UnclosedOrUnknownBlocksStayText(string content)
    {
        var text = Assert.IsType<TextPart>(Assert.Single(ContentBlocks.Split(content)));
        Assert.Contains("&lt;details", text.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplyArtifactsAreNumberedInTheMarkdownTheAppDraws()
    {
        // A thought with an html block, an answer's html block right after the thought's closing line, and a tool step.
        var content = "<details type=\"reasoning\" done=\"true\">\n<summary>Thinking</summary>\n> ```html\n> <p>draft</p>\n> ```\n</details>\n" +
                      "```html\n<p>final</p>\n```\n" + ToolBlock + "```svg\n<svg/>\n```";
        Assert.Equal("<p>draft</p>", ReplyArtifacts.Find(content, 0)!.Source.Trim());
        Assert.Equal("<p>final</p>", ReplyArtifacts.Find(content, 1)!.Source.Trim());
        Assert.Equal("svg", ReplyArtifacts.Find(content, 2)!.Language);
        Assert.Null(ReplyArtifacts.Find(content, 3));
    }

    [Fact]
    public void TagsHoldingAnotherTagAreSkippedUnread()
    {
        // Every "<details" before one shared '>': each would otherwise be read to that '>' (quadratic).
        var hostile = string.Concat(Enumerable.Repeat("<details type=\"reasoning\" ", 50_000)) + ">\nhm\n</details>";
        var parts = ContentBlocks.Split(hostile);
        // The last one, whose tag holds no other, is the block; the ones before are text.
        Assert.Equal(2, parts.Count);
        Assert.Contains("&lt;details", Assert.IsType<TextPart>(parts[0]).Html, StringComparison.Ordinal);
        Assert.Equal("<p>hm</p>", Assert.IsType<BlockPart>(parts[1]).Html.Trim());
        var duration = ContentBlocks.Split("<details type=\"reasoning\" duration=\"4.5\">\n<summary>s</summary>\nhm\n</details>");
        Assert.Equal("Thought for 4 seconds", Assert.IsType<BlockPart>(Assert.Single(duration)).Label);
        var surrogate = ContentBlocks.Split("<details type=\"code_interpreter\" output=\"\uD800\">\n<summary>s</summary>\nx\n</details>");
        Assert.Equal("\uD800", Assert.IsType<BlockPart>(Assert.Single(surrogate)).Output);
    }

    [Fact]
    public void ManyBlocksAndUnclosedTagsAreReadInOnePass()
    {
        // Each search resumes where the last ended: 20,000 whole blocks and then 50,000 unclosed tags are read at once.
        var whole = string.Concat(Enumerable.Repeat("<details type=\"reasoning\">\n<summary>s</summary>\nhm\n</details>\n", 20_000));
        var hostile = whole + string.Concat(Enumerable.Repeat("<details type=\"tool_calls\">", 50_000));
        var parts = ContentBlocks.Split(hostile);
        Assert.Equal(20_001, parts.Count);
        Assert.IsType<TextPart>(parts[^1]);
    }
}
