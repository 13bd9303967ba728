using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Pages;

/// <summary>
/// The first lines of a text, code or HTML artifact, drawn on its gallery card in place of a bare badge. Only
/// <see cref="MaxBytes"/> of each file are read, and the lines are cut, so a page of cards stays cheap whatever
/// the files' sizes; the text goes into the page encoded, like every value of a slice.
/// </summary>
internal static class CardSnippets
{
    public const int MaxBytes = 2048;
    public const int MaxLines = 8;
    public const int MaxLineLength = 120;

    public static async Task<IReadOnlyList<GalleryCard>> ReadAsync(IReadOnlyList<ArtifactFileRow> rows, ArtifactFileKeeper files,
        CancellationToken cancellationToken) =>
        await Task.WhenAll(rows.Select(async row => new GalleryCard(row, Shows(row) ? await ReadAsync(row, files, cancellationToken) : null)));

    /// <summary>Whether the card shows the file's first lines: the kinds the preview shows as text (and HTML, as its source).</summary>
    public static bool Shows(ArtifactFileRow row) =>
        row.Size > 0 && FileKinds.Preview(row.Name, row.MimeType, row.Kind) is PreviewKind.Html or PreviewKind.Code or PreviewKind.Markdown or PreviewKind.Text;

    private static async Task<string?> ReadAsync(ArtifactFileRow row, ArtifactFileKeeper files, CancellationToken cancellationToken)
    {
        var (text, _) = await Previews.ReadTextAsync(row, files, MaxBytes, cancellationToken);
        return text is null ? null : FirstLines(text);
    }

    /// <summary>The first non-blank lines, tabs as two spaces, each cut to <see cref="MaxLineLength"/>; null when there are none.</summary>
    public static string? FirstLines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n')
            .SkipWhile(string.IsNullOrWhiteSpace)
            .Take(MaxLines)
            .Select(line => line.Replace("\t", "  ").TrimEnd())
            .Select(line => line.Length > MaxLineLength ? line[..Cut(line)] + "…" : line)
            .ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>Where to cut a long line without leaving half a surrogate pair.</summary>
    private static int Cut(string line) => char.IsHighSurrogate(line[MaxLineLength - 1]) ? MaxLineLength - 1 : MaxLineLength;
}

/// <summary>One gallery card: the file and, for text kinds, its first lines (null: the card shows its badge).</summary>
public sealed record GalleryCard(ArtifactFileRow Row, string? Snippet);
