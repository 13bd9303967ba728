using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Hearth.Server.Pages;

/// <summary>One file under <c>wwwroot/assets/</c>: its bytes, the type it is served as and its entity tag.</summary>
internal sealed record EmbeddedAsset(byte[] Content, string ContentType, EntityTagHeaderValue ETag);

/// <summary>
/// The pages' assets, embedded in the assembly so no CDN or content root is needed, and read once: <see cref="PagesSetup"/>
/// serves them under <c>/assets/</c>, and <see cref="AppModules"/> reads the app's imports from them.
/// </summary>
internal static class EmbeddedAssets
{
    private const string Prefix = "wwwroot/assets/";

    /// <summary>Each asset by its path under <c>/assets/</c>.</summary>
    public static IReadOnlyDictionary<string, EmbeddedAsset> All { get; } = Load();

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
        return new EmbeddedAsset(content, type, new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\""));
    }
}
