using System.Text;
using Hearth.Server.Files;

namespace Hearth.Server.Pages;

/// <summary>
/// The inline preview of one artifact, as an HTML fragment: the image, the sandboxed HTML page, highlighted
/// code, rendered Markdown, plain text, or a download prompt. Text is read up to <see cref="MaxTextBytes"/>.
/// </summary>
internal static class Previews
{
    public const int MaxTextBytes = 512 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<string> RenderAsync(ArtifactFileRow row, ArtifactFiles files, CancellationToken cancellationToken)
    {
        var url = ArtifactLinks.Path(row.ChatId, row.Id);
        var kind = FileKinds.Preview(row.Name, row.MimeType, row.Kind);
        switch (kind)
        {
            case PreviewKind.Image:
                return $"""<div class="preview-image"><img src="{Html.E(url)}?inline=true" alt="{Html.E(row.Name)}"></div>""";
            case PreviewKind.Html:
                // The page showing the frame answers its window.storage in the artifact's own key space.
                return $"""<iframe class="preview-html" sandbox="{ArtifactResponses.FrameSandbox}" src="{Html.E(url)}?inline=true" title="{Html.E(row.Name)}" referrerpolicy="no-referrer" data-storage-space="{Html.E(ArtifactKeySpace.For(row))}"></iframe>""";
            case PreviewKind.Download:
                return DownloadPrompt(row, url, "This file cannot be previewed.");
        }
        var (text, truncated) = await ReadTextAsync(row, files, cancellationToken);
        if (text is null)
        {
            return DownloadPrompt(row, url, "This file is not text that can be shown here.");
        }
        var note = truncated ? $"""<p class="truncated">Showing the first {Html.Size(MaxTextBytes)}; download the file for the rest.</p>""" : "";
        return kind switch
        {
            PreviewKind.Markdown => $"""<article class="preview-markdown markdown">{SafeMarkdown.ToHtml(text)}</article>{note}""",
            PreviewKind.Code => Code(text, FileKinds.Language(row.Name, row.MimeType)) + note,
            _ => $"""<pre class="preview-text">{Html.E(text)}</pre>{note}""",
        };
    }

    private static string Code(string text, string? language)
    {
        var label = language is null ? "" : $"""<span class="language">{Html.E(language)}</span>""";
        return $"""<div class="preview-code">{label}<pre class="code" data-language="{Html.E(language)}"><code>{CodeHighlighter.Highlight(text, language)}</code></pre></div>""";
    }

    private static string DownloadPrompt(ArtifactFileRow row, string url, string reason) => $"""
        <div class="download-prompt">
          <div class="badge large">{Html.E(FileKinds.Extension(row.Name).TrimStart('.').ToUpperInvariant() is { Length: > 0 and <= 5 } e ? e : "FILE")}</div>
          <p class="prompt-name">{Html.E(row.Name)}</p>
          <p>{Html.E(reason)} {Html.E(row.MimeType)}, {Html.Size(row.Size)}.</p>
          <a class="button primary" href="{Html.E(url)}" download>Download {Html.E(row.Name)}</a>
        </div>
        """;

    /// <returns>The text (null when it is not valid UTF-8) and whether it was cut.</returns>
    private static async Task<(string? Text, bool Truncated)> ReadTextAsync(ArtifactFileRow row, ArtifactFiles files, CancellationToken cancellationToken)
    {
        await using var stream = await files.OpenAsync(row, cancellationToken);
        if (stream is null)
        {
            return (null, false);
        }
        var buffer = new byte[(int)Math.Min(row.Size, MaxTextBytes)];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }
        var truncated = row.Size > MaxTextBytes;
        var length = read;
        if (truncated)
        {
            // Do not cut a multi-byte character in half.
            while (length > 0 && (buffer[length - 1] & 0xC0) == 0x80)
            {
                length--;
            }
            if (length > 0 && buffer[length - 1] >= 0xC0)
            {
                length--;
            }
        }
        try
        {
            var text = StrictUtf8.GetString(buffer, 0, length);
            return text.Contains('\0') ? (null, false) : (text.TrimStart('\uFEFF'), truncated);
        }
        catch (DecoderFallbackException)
        {
            return (null, false);
        }
    }
}
