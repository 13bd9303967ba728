using Hearth.Server.Pages;

namespace Hearth.Tests.Units;

/// <summary>
/// Issue 14 (math on the conversation and shared pages): a message's LaTeX is marked as the chat app marks it (math.js),
/// an element of class math-tex holding the source as escaped text, for KaTeX to draw; prices, code and the other pages'
/// Markdown (previews) are left as they were.
/// </summary>
public sealed class MessageMathTests
{
    [Theory]
    [InlineData("Euler: $e^{i\\pi} + 1 = 0$.", "<span class=\"math-tex\">e^{i\\pi} + 1 = 0</span>")]
    [InlineData("Paren \\(a_1 * b_2 * c_3\\) done", "<span class=\"math-tex\">a_1 * b_2 * c_3</span>")]
    [InlineData("Inline display $$x^2$$ here", "<span class=\"math-tex math-display\">x^2</span>")]
    [InlineData("Bracket \\[ \\frac{1}{3} \\] here", "<span class=\"math-tex math-display\">\\frac{1}{3}</span>")]
    [InlineData("$$\n\\int_0^1 x^2 \\, dx\n$$", "<div class=\"math-tex math-display\">\\int_0^1 x^2 \\, dx\n</div>")]
    [InlineData("Less: $a < b$", "<span class=\"math-tex\">a &lt; b</span>")]
    public void MathIsMarkedWithItsSourceAsText(string markdown, string expected) =>
        Assert.Contains(expected, SafeMarkdown.ToHtml(markdown, math: true), StringComparison.Ordinal);

    [Theory]
    [InlineData("It costs $5 and $10 in total.")]
    [InlineData("Code: `price = \"$x_1$\"` and `\\(y\\)`")]
    [InlineData("```\n$x$ \\(y\\)\n```")]
    [InlineData("An escaped \\$5 and \\(unclosed")]
    public void PricesCodeAndUnclosedMarksStayText(string markdown) =>
        Assert.DoesNotContain("math-tex", SafeMarkdown.ToHtml(markdown, math: true), StringComparison.Ordinal);

    [Fact]
    public void HostileSourceIsEscapedAndPreviewsKeepTheirDollars()
    {
        var html = SafeMarkdown.ToHtml("$</span><script>alert(1)</script>$", math: true);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("$e^x$", SafeMarkdown.ToHtml("Preview: $e^x$"), StringComparison.Ordinal);
    }
}
