using Microsoft.AspNetCore.StaticFiles;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// The seed's table, decided once when a file is stored: which gallery filter a file belongs to, its MIME
/// type, and how the preview shows it. Pure, so every row of the table has its own unit test.
/// </summary>
internal static class FileKinds
{
    public const string All = "all";
    public const string Images = "images";
    public const string Html = "html";
    public const string Code = "code";
    public const string Files = "files";

    /// <summary>The filters in the order the gallery shows them.</summary>
    public static readonly string[] Filters = [All, Images, Html, Code, Files];

    private static readonly HashSet<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"];
    private static readonly HashSet<string> ImageTypes = ["image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"];
    private static readonly HashSet<string> HtmlExtensions = [".html", ".htm", ".xhtml"];
    private static readonly HashSet<string> HtmlTypes = ["text/html", "application/xhtml+xml"];

    /// <summary>Extension → highlighter language, for the seed's Code row (Python, JavaScript, TypeScript, JSON, YAML, XML, CSS, SQL, Markdown, shell).</summary>
    private static readonly Dictionary<string, string> CodeLanguages = new(StringComparer.Ordinal)
    {
        [".py"] = "python", [".pyw"] = "python", [".ipynb"] = "json",
        [".js"] = "javascript", [".mjs"] = "javascript", [".cjs"] = "javascript", [".jsx"] = "javascript",
        [".ts"] = "typescript", [".tsx"] = "typescript", [".mts"] = "typescript",
        [".json"] = "json", [".jsonl"] = "json", [".yaml"] = "yaml", [".yml"] = "yaml",
        [".xml"] = "xml", [".xsd"] = "xml", [".xsl"] = "xml", [".css"] = "css", [".sql"] = "sql",
        [".md"] = "markdown", [".markdown"] = "markdown",
        [".sh"] = "shell", [".bash"] = "shell", [".zsh"] = "shell",
    };

    private static readonly Dictionary<string, string> CodeTypes = new(StringComparer.Ordinal)
    {
        ["text/x-python"] = "python", ["application/x-python-code"] = "python", ["text/javascript"] = "javascript",
        ["application/javascript"] = "javascript", ["application/typescript"] = "typescript", ["application/json"] = "json",
        ["application/yaml"] = "yaml", ["text/yaml"] = "yaml", ["application/xml"] = "xml", ["text/xml"] = "xml",
        ["text/css"] = "css", ["application/sql"] = "sql", ["text/markdown"] = "markdown",
        ["application/x-sh"] = "shell", ["text/x-shellscript"] = "shell",
    };

    /// <summary>Types the extension map of ASP.NET Core does not know or names differently.</summary>
    private static readonly Dictionary<string, string> ExtraTypes = new(StringComparer.Ordinal)
    {
        [".py"] = "text/x-python", [".pyw"] = "text/x-python", [".ts"] = "application/typescript", [".tsx"] = "application/typescript",
        [".mts"] = "application/typescript", [".mjs"] = "text/javascript", [".cjs"] = "text/javascript", [".js"] = "text/javascript",
        [".jsx"] = "text/javascript", [".yaml"] = "application/yaml", [".yml"] = "application/yaml", [".md"] = "text/markdown",
        [".markdown"] = "text/markdown", [".sql"] = "application/sql", [".sh"] = "application/x-sh", [".bash"] = "application/x-sh",
        [".zsh"] = "application/x-sh", [".jsonl"] = "application/json", [".ipynb"] = "application/json", [".webp"] = "image/webp",
        [".csv"] = "text/csv", [".log"] = "text/plain", [".toml"] = "text/plain", [".ini"] = "text/plain",
    };

    private static readonly FileExtensionContentTypeProvider Known = new();

    public static bool IsFilter(string? value) => value is not null && Filters.Contains(value);

    /// <summary>The lower-cased extension with its dot ("" when there is none).</summary>
    public static string Extension(string name) => Path.GetExtension(name).ToLowerInvariant();

    /// <summary>The type to store: from the extension first, then what the client said, then octet-stream.</summary>
    public static string MimeType(string name, string? declared)
    {
        var extension = Extension(name);
        if (ExtraTypes.TryGetValue(extension, out var extra))
        {
            return extra;
        }
        if (extension.Length > 0 && Known.TryGetContentType(name.ToLowerInvariant(), out var known))
        {
            return known;
        }
        var clean = declared?.Split(';')[0].Trim().ToLowerInvariant();
        return clean is { Length: > 2 and < 128 } && clean.Count(c => c == '/') == 1 && clean.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-')
            ? clean
            : "application/octet-stream";
    }

    /// <summary>The filter a file belongs to: extension first, the MIME type when the extension says nothing.</summary>
    public static string Kind(string name, string mimeType)
    {
        var extension = Extension(name);
        if (ImageExtensions.Contains(extension))
        {
            return Images;
        }
        if (HtmlExtensions.Contains(extension))
        {
            return Html;
        }
        if (CodeLanguages.ContainsKey(extension))
        {
            return Code;
        }
        if (extension.Length > 0 && (ExtraTypes.ContainsKey(extension) || Known.TryGetContentType(extension, out _)))
        {
            return Files;
        }
        var type = mimeType.Split(';')[0].Trim().ToLowerInvariant();
        return ImageTypes.Contains(type) ? Images : HtmlTypes.Contains(type) ? Html : CodeTypes.ContainsKey(type) ? Code : Files;
    }

    /// <summary>The highlighter's language for a code file (null when it has none).</summary>
    public static string? Language(string name, string mimeType) =>
        CodeLanguages.TryGetValue(Extension(name), out var language) ? language
        : CodeTypes.TryGetValue(mimeType.Split(';')[0].Trim().ToLowerInvariant(), out var byType) ? byType : null;

    /// <summary>Whether the preview may show the bytes as text (after checking they decode as UTF-8).</summary>
    public static bool LooksTextual(string mimeType) =>
        mimeType.StartsWith("text/", StringComparison.Ordinal) || CodeTypes.ContainsKey(mimeType)
        || mimeType.EndsWith("+json", StringComparison.Ordinal) || mimeType.EndsWith("+xml", StringComparison.Ordinal);

    /// <summary>How the gallery previews a file.</summary>
    public static PreviewKind Preview(string name, string mimeType, string kind) => kind switch
    {
        Images => PreviewKind.Image,
        Html => PreviewKind.Html,
        Code when Language(name, mimeType) == "markdown" => PreviewKind.Markdown,
        Code => PreviewKind.Code,
        _ when mimeType == "application/pdf" => PreviewKind.Pdf,
        _ when LooksTextual(mimeType) => PreviewKind.Text,
        _ => PreviewKind.Download,
    };
}

/// <remarks>Public only because the preview's Razor slice, whose generated proxy is public, takes it in its model.</remarks>
public enum PreviewKind
{
    Image,
    Html,
    Code,
    Markdown,
    Text,
    /// <summary>Shown by the browser's own PDF viewer in a frame.</summary>
    Pdf,
    Download,
}
