using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Hearth.Server.Pages;

/// <summary>
/// LaTeX math in a conversation's messages, marked as the chat app's Markdown marks it (<c>app/math.js</c>): an element
/// of class <c>math-tex</c> (and <c>math-display</c> for display math) holding the expression's source as text, which
/// KaTeX draws on the page (<c>app/pagemath.js</c>); without script the source is what shows. <c>$…$</c>, <c>$$…$$</c>
/// and <c>$$</c> blocks are read by Markdig's mathematics extension; <c>\(…\)</c> and <c>\[…\]</c>, which models often
/// write, by <see cref="BracketMathParser"/>. Add it after <c>UseMathematics()</c>, whose renderers it replaces.
/// </summary>
internal sealed class TexPlaceholders : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        // Before the escapes, which would read \( as a plain "(".
        if (!pipeline.InlineParsers.Contains<BracketMathParser>())
        {
            pipeline.InlineParsers.Insert(0, new BracketMathParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html)
        {
            html.ObjectRenderers.RemoveAll(r => r is HtmlMathInlineRenderer or HtmlMathBlockRenderer);
            // First: a math block is a fenced code block too, and the first renderer that takes an object draws it.
            if (!html.ObjectRenderers.Contains<BlockPlaceholder>())
            {
                html.ObjectRenderers.Insert(0, new BlockPlaceholder());
                html.ObjectRenderers.Insert(0, new InlinePlaceholder());
            }
        }
    }

    private sealed class InlinePlaceholder : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline obj)
        {
            renderer.Write(obj.DelimiterCount > 1 ? "<span class=\"math-tex math-display\">" : "<span class=\"math-tex\">");
            renderer.WriteEscape(obj.Content.ToString().Trim());
            renderer.Write("</span>");
        }
    }

    private sealed class BlockPlaceholder : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock obj)
        {
            renderer.EnsureLine();
            renderer.Write("<div class=\"math-tex math-display\">");
            renderer.WriteLeafRawLines(obj, true, true);
            renderer.WriteLine("</div>");
        }
    }
}

/// <summary>
/// <c>\(…\)</c> (inline) and <c>\[…\]</c> (display) within a paragraph, up to the first closing mark, as the chat app
/// reads them; code spans are read before, so their backslashes stay code.
/// </summary>
internal sealed class BracketMathParser : InlineParser
{
    private const int LongestExpression = 4000;

    public BracketMathParser() => OpeningCharacters = ['\\'];

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        var open = slice.PeekChar();
        if (open is not ('(' or '['))
        {
            return false;
        }
        var close = open == '(' ? "\\)" : "\\]";
        var start = slice.Start + 2;
        // Looked for within the longest expression drawn (the app's math.js draws 4,000 characters at most): a paragraph
        // of many unclosed marks then costs linear time, not a search to its end from each.
        var window = Math.Min(slice.End - start + 1, LongestExpression + close.Length);
        var end = window <= 0 ? -1 : slice.Text.IndexOf(close, start, window, StringComparison.Ordinal);
        if (end <= start)
        {
            return false;
        }
        var position = processor.GetSourcePosition(slice.Start, out var line, out var column);
        processor.Inline = new MathInline
        {
            Delimiter = '\\',
            DelimiterCount = open == '(' ? 1 : 2,
            Content = new StringSlice(slice.Text, start, end - 1),
            Span = new Markdig.Syntax.SourceSpan(position, position + end + 1 - slice.Start),
            Line = line,
            Column = column,
        };
        slice.Start = end + 2;
        return true;
    }
}
