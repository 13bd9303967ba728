using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.Pages;

/// <summary>
/// One file under <c>wwwroot/assets/</c>: its bytes, the type it is served as, and its version (the start of its SHA-256),
/// which is its entity tag and the <c>v</c> of its versioned address (<see cref="EmbeddedAssets.Url"/>).
/// </summary>
internal sealed record EmbeddedAsset(byte[] Content, string ContentType, string Version)
{
    public EntityTagHeaderValue ETag { get; } = new("\"" + Version + "\"");
}

/// <summary>
/// The pages' assets, embedded in the assembly so no CDN or content root is needed, and read once: <see cref="PagesSetup"/>
/// serves them under <c>/assets/</c>, and <see cref="AppModules"/> reads the app's imports from them.
/// </summary>
internal static class EmbeddedAssets
{
    private const string Prefix = "wwwroot/assets/";

    /// <summary>Each asset by its path under <c>/assets/</c>.</summary>
    public static IReadOnlyDictionary<string, EmbeddedAsset> All { get; } = Load();

    /// <summary>
    /// The asset's address with its version (<c>/assets/app/app.js?v=…</c>), which browsers may keep for good: another
    /// Hearth version's file has another address. An unknown path keeps its plain address.
    /// </summary>
    public static string Url(string path) =>
        All.TryGetValue(path, out var asset) ? $"/assets/{path}?{VersionParameter}={asset.Version}" : $"/assets/{path}";

    public const string VersionParameter = "v";

    private static Dictionary<string, EmbeddedAsset> Load()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..], n => Read(assembly, n, types), StringComparer.Ordinal);
    }

    private static EmbeddedAsset Read(System.Reflection.Assembly assembly, string name, FileExtensionContentTypeProvider types)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var type = types.TryGetContentType(name, out var known) ? known : "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) || type.EndsWith("svg+xml", StringComparison.Ordinal))
        {
            type += "; charset=utf-8";
        }
        return new EmbeddedAsset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..16]);
    }
}
