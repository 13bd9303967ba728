using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Hearth.Server.Pages;

/// <summary>Encoding and formatting for the pages' Razor slices (<see cref="PageResult"/> renders them with <see cref="Encoder"/>).</summary>
internal static class Html
{
    /// <summary>Encodes markup-significant characters and leaves readable Unicode as it is.</summary>
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A query string value.</summary>
    public static string U(string? text) => Uri.EscapeDataString(text ?? "");

    /// <summary>Bytes as people read them: 512 B, 1.5 KB, 25 MB (powers of 1024).</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? $"{bytes} B"
            : value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A UTC time for people (the page's script shows it in the reader's own time zone).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A local path to return to after signing in; anything else (other hosts, schemes, "//") becomes the app.</summary>
    public static string LocalPath(string? next) =>
        next is { Length: > 0 } && next[0] == '/' && !next.StartsWith("//", StringComparison.Ordinal) && !next.StartsWith("/\\", StringComparison.Ordinal)
            && !next.Any(char.IsControl)
            ? next
            : "/";
}
