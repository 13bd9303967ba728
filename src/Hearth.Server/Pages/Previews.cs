using System.Text;
using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Pages;

/// <summary>
/// The inline preview of one artifact (an HTML fragment drawn by <c>Slices/Preview.cshtml</c>): the image, the sandboxed HTML page, highlighted
/// code, rendered Markdown, plain text, a PDF in the browser's viewer, or a download prompt. Text is read up to <see cref="MaxTextBytes"/>.
/// </summary>
internal static class Previews
{
    public const int MaxTextBytes = 512 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<PreviewView> ReadAsync(ArtifactFileRow row, ArtifactFileKeeper files, CancellationToken cancellationToken)
    {
        var kind = FileKinds.Preview(row.Name, row.MimeType, row.Kind);
        if (kind is PreviewKind.Image or PreviewKind.Html or PreviewKind.Pdf or PreviewKind.Download)
        {
            return new PreviewView(row, kind, null, false);
        }
        var (text, truncated) = await ReadTextAsync(row, files, MaxTextBytes, cancellationToken);
        return new PreviewView(row, kind, text, truncated);
    }

    /// <returns>The first <paramref name="maxBytes"/> as text (null when they are not valid UTF-8) and whether they were cut.</returns>
    public static async Task<(string? Text, bool Truncated)> ReadTextAsync(ArtifactFileRow row, ArtifactFileKeeper files, int maxBytes,
        CancellationToken cancellationToken)
    {
        await using var stream = await files.OpenAsync(row, cancellationToken);
        if (stream is null)
        {
            return (null, false);
        }
        var buffer = new byte[(int)Math.Min(row.Size, maxBytes)];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }
        var truncated = row.Size > maxBytes;
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

/// <summary>
/// What <c>Slices/Preview.cshtml</c> shows: the file, how to preview it, and for text kinds the text read (null when
/// it is not UTF-8 text, which turns the preview into a download prompt) and whether it was cut.
/// </summary>
public sealed record PreviewView(ArtifactFileRow Row, PreviewKind Kind, string? Text, bool Truncated);
