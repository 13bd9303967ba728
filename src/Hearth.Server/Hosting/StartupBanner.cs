using Hearth.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

internal static class StartupBanner
{
    /// <summary>One line once the server listens: where, where the data is, which database.</summary>
    public static WebApplication LogWhereHearthRuns(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var data = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirFullPath;
            var database = app.Services.GetRequiredService<Database>().Description;
            app.Logger.LogInformation("Hearth {Version} listening on {Addresses}; data in {DataDir}; database {Database}",
                Common.CommonSetup.Version, string.Join(", ", addresses), data, database);
            if (HostingSetup.SecretsOnCommandLine.Count > 0)
            {
                app.Logger.LogWarning("{Settings} came on the command line, where other local users could read them while Hearth started " +
                    "(they are hidden now). Give secrets in the environment, or the signing key in {DataDir}/.webui_secret_key.",
                    string.Join(", ", HostingSetup.SecretsOnCommandLine), data);
            }
        });
        return app;
    }
}
