using System.Text;
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
