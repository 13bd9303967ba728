using Markdig;
using Markdig.Syntax;

namespace Hearth.Server.Pages;

/// <summary>
/// The apps and pictures a reply writes inline: its fenced code blocks marked <c>html</c> or <c>svg</c>, in the
/// order they come (inside lists and quotes too). The chat app numbers them the same way (<c>markdown.js</c>), so
/// "block n of message m" names the same code on both sides.
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
        return Markdown.Parse(markdown).Descendants<FencedCodeBlock>()
            .Select(Of)
            .OfType<ReplyArtifact>()
            .ElementAtOrDefault(index);
    }

    private static ReplyArtifact? Of(FencedCodeBlock block) =>
        block.Info?.ToLowerInvariant() is "html" or "svg" ? new ReplyArtifact(block.Info.ToLowerInvariant(), block.Lines.ToString()) : null;
}

/// <summary>One inline artifact: <c>html</c> or <c>svg</c>, and its source.</summary>
internal sealed record ReplyArtifact(string Language, string Source);
