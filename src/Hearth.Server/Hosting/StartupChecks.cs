using System.Net;
using System.Net.Sockets;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>
/// What must hold before Hearth serves, checked in order so each failure names its own cause
/// (<see cref="StartupProblem"/>): the data folder, the listening address (before the database is touched), then
/// the database, reached and brought up to date.
/// </summary>
internal static class StartupChecks
{
    /// <summary>
    /// <c>DATA_DIR</c> is a folder Hearth can write. A missing one is created when its parent exists (a first start);
    /// when the parent is missing too, a volume is likely not mounted, and writing elsewhere would hide the data.
    /// </summary>
    public static void CheckDataDirectory(this WebApplication app)
    {
        var folder = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirFullPath;
        if (File.Exists(folder))
        {
            throw new StartupProblem($"DATA_DIR {folder} is a file, not a folder. Point DATA_DIR at a folder for Hearth's data.");
        }
        if (!Directory.Exists(folder))
        {
            var parent = Path.GetDirectoryName(folder.TrimEnd(Path.DirectorySeparatorChar));
            if (parent is null || !Directory.Exists(parent))
            {
                throw new StartupProblem($"DATA_DIR {folder} does not exist, nor does the folder it would be in ({parent}). " +
                    "Create it (or mount its volume), or point DATA_DIR at an existing folder.");
            }
            Attempt(folder, () => PrivateFiles.CreateFolder(folder), "created");
        }
        var probe = Path.Combine(folder, $".write-check-{Guid.NewGuid():N}");
        Attempt(folder, () => File.WriteAllBytes(probe, []), "written to");
        File.Delete(probe);
    }

    private static void Attempt(string folder, Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupProblem($"DATA_DIR {folder} cannot be {what} by Hearth ({e.Message.TrimEnd('.')}). " +
                "Give Hearth's user write access to it, or point DATA_DIR at a folder it can write.", e);
        }
    }

    /// <summary>
    /// Every address Kestrel is about to listen on is free, tried before the database is touched: a second Hearth on
    /// the same port stops here instead of migrating a database and then failing to serve.
    /// </summary>
    public static void CheckAddresses(this WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var ownAddress = $"http://{server.Host}:{server.Port}";
        // The server's own list when something set it (a test host does), else the configured urls, as Kestrel reads them.
        var urls = app.Urls.Count > 0 ? [.. app.Urls] : (app.Configuration["urls"] ?? ownAddress).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            var binding = BindingAddress.Parse(url);
            if (binding.IsUnixPipe || binding.Port == 0)
            {
                continue;
            }
            var address = binding.Host is "localhost" ? IPAddress.Loopback : IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip) ? ip : IPAddress.Any;
            var named = url == ownAddress ? $"port {binding.Port} on {binding.Host} (settings PORT and HOST)" : $"{url} (setting ASPNETCORE_URLS or --urls)";
            TryListen(new IPEndPoint(address, binding.Port), named);
        }
    }

    private static void TryListen(IPEndPoint endpoint, string named)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen();
        }
        catch (SocketException e)
        {
            var change = named.StartsWith("port", StringComparison.Ordinal) ? "PORT" : "ASPNETCORE_URLS or --urls";
            throw new StartupProblem(e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"{named} is in use by another program (another Hearth?). Stop it, or choose another port with {change}.",
                SocketError.AccessDenied => $"{named} may not be used: ports below 1024 need root or CAP_NET_BIND_SERVICE. Choose a port from 1024 up with {change}.",
                SocketError.AddressNotAvailable => $"{named} cannot be listened on: the address is not one of this machine's. " +
                    "Set HOST to one of its addresses, or 0.0.0.0 for all of them.",
                _ => $"{named} cannot be listened on: {e.Message}.",
            }, e);
        }
    }

    /// <summary>Reaches the database and applies pending migrations before the first request can arrive.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var database = app.Services.GetRequiredService<Database>();
        var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(cancellationToken);
        app.Logger.LogInformation("Database {Database}: {Count} migration(s) applied", database.Description, applied);
    }
}
