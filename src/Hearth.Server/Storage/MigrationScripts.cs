using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Hearth.Server.Storage;

/// <summary>One numbered, embedded SQL script per schema step and provider, with the SHA-256 of its bytes.</summary>
internal sealed record Migration(int Version, string Name, string Sql, string Sha256)
{
    /// <summary>As in the repository, e.g. <c>0006_chat_list_versions.sql</c>.</summary>
    public string FileName => $"{Version:D4}_{Name}.sql";
}

/// <summary>Reads the scripts under <c>Storage/Migrations/{sqlite,postgres}/</c> from the assembly.</summary>
internal static partial class MigrationScripts
{
    public static IReadOnlyList<Migration> Embedded(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Postgres ? ".postgres." : ".sqlite.";
        var assembly = typeof(MigrationScripts).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(".Migrations" + folder, StringComparison.Ordinal))
            .Select(name => (name, match: ScriptName().Match(name)))
            .Where(x => x.match.Success)
            .Select(x => Read(assembly, x.name,
                int.Parse(x.match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), x.match.Groups["name"].Value))
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>
    /// The hash covers the bytes exactly as embedded, which are the bytes that run. `.gitattributes` keeps
    /// `*.sql` LF in every checkout, so a CRLF checkout (core.autocrlf) builds the same bytes and the same hash.
    /// </summary>
    private static Migration Read(Assembly assembly, string resource, int version, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes));
        return new Migration(version, name, reader.ReadToEnd(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [GeneratedRegex(@"\.(?<version>\d{4})_(?<name>\w+)\.sql$")]
    private static partial Regex ScriptName();
}
