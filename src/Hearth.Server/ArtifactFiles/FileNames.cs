using System.Globalization;
using System.Text;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// Cleans the names that clients send. A name is metadata shown to people and sent back in
/// <c>Content-Disposition</c>; it never becomes a path, but it is still cleaned so that it cannot pose as one.
/// </summary>
internal static class FileNames
{
    public const int MaxBytes = 255;
    public const string Fallback = "file";

    /// <summary>
    /// Keeps the last path segment, drops control and bidirectional-override characters, collapses <c>..</c>,
    /// trims dots and spaces from the ends, and shortens to 255 UTF-8 bytes keeping the extension.
    /// </summary>
    public static string Clean(string? raw)
    {
        var name = raw ?? "";
        var cut = name.LastIndexOfAny(['/', '\\']);
        if (cut >= 0)
        {
            name = name[(cut + 1)..];
        }
        var kept = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned
                || rune.Value is '"' or ':' or '*' or '?' or '<' or '>' or '|')
            {
                continue;
            }
            kept.Append(rune.ToString());
        }
        name = kept.ToString();
        while (name.Contains("..", StringComparison.Ordinal))
        {
            name = name.Replace("..", ".", StringComparison.Ordinal);
        }
        name = name.Trim().Trim('.').Trim();
        if (name.Length == 0)
        {
            return Fallback;
        }
        return Shorten(name);
    }

    private static string Shorten(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }
        var extension = Path.GetExtension(name);
        if (extension.Length > 16 || Encoding.UTF8.GetByteCount(extension) > 32)
        {
            extension = "";
        }
        var stem = name[..^extension.Length];
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(extension);
        var result = new StringBuilder();
        var used = 0;
        foreach (var rune in stem.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }
            result.Append(rune.ToString());
        }
        return result.ToString().TrimEnd() + extension;
    }

    /// <summary>The extension the stored file keeps: lower-case letters and digits only, at most 16 of them.</summary>
    public static string StoredExtension(string cleanName)
    {
        var extension = FileKinds.Extension(cleanName);
        return extension.Length is > 1 and <= 17 && extension[1..].All(char.IsAsciiLetterOrDigit) ? extension : "";
    }
}
