using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hearth.Server.Pages;

/// <summary>
/// The chat app's modules that <c>app/app.js</c> reaches by static imports, directly or through others. The page names
/// each in a <c>&lt;link rel="modulepreload"&gt;</c>, so the browser asks for them all while it reads the page, instead of
/// one level of imports at a time: the app's imports are four levels deep, and its assets are revalidated on every load,
/// so each level cost a round trip before the first chat could be drawn. Read once from <see cref="EmbeddedAssets"/>, so a new
/// import needs no list kept by hand; what is imported on demand (<c>import()</c>: KaTeX, the admin tabs) stays out.
/// </summary>
internal static partial class AppModules
{
    /// <summary>Asset paths (under <c>/assets/</c>), the entry first, each module once.</summary>
    public static IReadOnlyList<string> Preloads { get; } = StaticClosure(EmbeddedAssets.All, "app/app.js");

    /// <summary>
    /// The page's import map: every module of the app (those imported on demand too) from its plain address to its
    /// versioned one (<see cref="EmbeddedAssets.Url"/>). The modules import each other by relative paths, which resolve to
    /// plain addresses; the map sends them to the versioned ones, which a returning browser has kept, so opening the app
    /// costs no request per module (they were 33 revalidations, six at a time, before any chat was asked for).
    /// </summary>
    public static string ImportMap { get; } = JsonSerializer.Serialize(new
    {
        imports = EmbeddedAssets.All.Keys
            .Where(path => path.StartsWith("app/", StringComparison.Ordinal) && (path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".mjs", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToDictionary(path => "/assets/" + path, EmbeddedAssets.Url),
    });

    /// <summary>The import map's hash as the page's Content-Security-Policy allows it (an import map is an inline script).</summary>
    public static string ImportMapSource { get; } = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ImportMap)))}'";

    // A static import or re-export at the start of a line, with the relative path it names.
    [GeneratedRegex("""^\s*(?:import|export)\s+(?:[^'";]*?\s*from\s*)?['"](?<path>\.{1,2}/[^'"]+)['"]""", RegexOptions.Multiline)]
    private static partial Regex StaticImport();

    private static List<string> StaticClosure(IReadOnlyDictionary<string, EmbeddedAsset> assets, string entry)
    {
        var found = new List<string>();
        var pending = new Queue<string>([entry]);
        while (pending.TryDequeue(out var module))
        {
            if (found.Contains(module) || !assets.TryGetValue(module, out var asset))
            {
                continue;
            }
            found.Add(module);
            foreach (Match import in StaticImport().Matches(Encoding.UTF8.GetString(asset.Content)))
            {
                pending.Enqueue(Resolve(module, import.Groups["path"].Value));
            }
        }
        return found;
    }

    private static string Resolve(string importer, string relative) =>
        new Uri(new Uri("https://assets.invalid/" + importer), relative).AbsolutePath.TrimStart('/');
}
