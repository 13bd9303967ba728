using Hearth.Server.Storage;

namespace Hearth.Server.ArtifactFiles;

/// <summary><c>rebuild-artifacts</c>: recreates the artifact rows from the folders (or bucket), with the server's configuration.</summary>
internal static class ArtifactFileCommands
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "rebuild-artifacts";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
        var rebuilder = app.Services.GetRequiredService<ArtifactFileRebuilder>();
        var storage = app.Services.GetRequiredService<Blobs.IBlobStorage>();
        Console.WriteLine($"Rebuilding artifact rows from {storage.Description}...");
        var summary = await rebuilder.RebuildAsync(new Hosting.ConsoleProgress<string>(file => Console.Error.WriteLine($"  + {file}")), CancellationToken.None);
        Console.WriteLine($"{summary.Files} files found: {summary.Added} rows added, {summary.Removed} rows without a file removed, " +
                          $"{summary.Orphans} files of conversations that no longer exist left alone.");
        return 0;
    }
}
