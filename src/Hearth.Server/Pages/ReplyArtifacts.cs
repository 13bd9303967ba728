using Markdig;
using Markdig.Syntax;

namespace Hearth.Server.Pages;

/// <summary>
/// The apps and pictures a reply writes inline: its fenced code blocks marked <c>html</c> or <c>svg</c>, in the
/// order they come (inside lists and quotes too, and inside Open WebUI's thinking and code blocks, which are split out
/// first as <see cref="ContentBlocks.Pieces"/> and the app's <c>steps.js</c> split them). The chat app numbers them the
/// same way (<c>markdown.js</c>, <c>panel.js</c>), so "block n of message m" names the same code on both sides.
/// </summary>
internal static class ReplyArtifacts
{
    /// <summary>The <paramref name="index"/>-th HTML or SVG block of <paramref name="markdown"/>, or null.</summary>
    public static ReplyArtifact? Find(string markdown, int index)
    {
        if (index < 0)
        {
            return null;
        }
        return ContentBlocks.Pieces(markdown).Where(piece => piece.Type != "tool_calls")
            .SelectMany(piece => Markdown.Parse(piece.Markdown).Descendants<FencedCodeBlock>())
            .Select(Of)
            .OfType<ReplyArtifact>()
            .ElementAtOrDefault(index);
    }

    private static ReplyArtifact? Of(FencedCodeBlock block) =>
        block.Info?.ToLowerInvariant() is "html" or "svg" ? new ReplyArtifact(block.Info.ToLowerInvariant(), block.Lines.ToString()) : null;
}

/// <summary>One inline artifact: <c>html</c> or <c>svg</c>, and its source.</summary>
internal sealed record ReplyArtifact(string Language, string Source);
