namespace Hearth.Tests.Infrastructure;

/// <summary>Files of the checkout the tests run from, such as the tools test.sh installs under <c>.tools/</c>.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Hearth.slnx, found upwards from the test binaries; null outside a checkout.</summary>
    public static string? Root { get; } = FindRoot();

    /// <summary>A path under <c>.tools/</c> when it exists there.</summary>
    public static string? Tool(params string[] parts)
    {
        var candidate = Root is null ? null : Path.Combine([Root, ".tools", .. parts]);
        return candidate is not null && (File.Exists(candidate) || Directory.Exists(candidate)) ? candidate : null;
    }

    private static string? FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hearth.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName;
    }
}
