using Markdig;
using Markdig.Extensions.TaskLists;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hearth.Server.Pages;

/// <summary>
/// Markdown to HTML for previews and messages, with no raw HTML passing through (it is shown as text) and
/// links limited to http(s), mailto and relative ones, so rendered text cannot run script in Hearth's pages.
/// </summary>
internal static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = Builder().Build();

    /// <summary>With LaTeX math marked for KaTeX (<see cref="TexPlaceholders"/>): for messages, where models write math.</summary>
    private static readonly MarkdownPipeline MathPipeline = Builder().UseMathematics().Use<TexPlaceholders>().Build();

    private static MarkdownPipelineBuilder Builder() => new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGridTables()
        .UseTaskLists()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseListExtras()
        .DisableHtml();

    /// <param name="math">Whether LaTeX math is marked as such (<see cref="TexPlaceholders"/>) rather than left as text.</param>
    public static string ToHtml(string markdown, bool math = false)
    {
        var pipeline = math ? MathPipeline : Pipeline;
        var document = Markdown.Parse(markdown, pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!link.IsEmail && !IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }
        // A task's checkbox gets a name (it has no label of its own; the task's words follow it).
        foreach (var task in document.Descendants<TaskList>())
        {
            task.GetAttributes().AddProperty("aria-label", "Task");
        }
        // A code block scrolls sideways when its lines are long: it takes the keyboard's focus, so it can be scrolled
        // without a mouse. Raw HTML is shown as text, so "<pre><code" in the output is always a code block's.
        return document.ToHtml(pipeline).Replace("<pre><code", "<pre tabindex=\"0\"><code", StringComparison.Ordinal);
    }

    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }
        var trimmed = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = trimmed.IndexOf(':');
        var slash = trimmed.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true; // relative
        }
        var scheme = trimmed[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
