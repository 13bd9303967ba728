using Hearth.Server.Auth;
using Hearth.Server.Completions;
using Hearth.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>
/// What a person starting Hearth needs once it listens: the address to open in a browser (<c>localhost</c>, not the
/// <c>0.0.0.0</c> it listens on), where the data and the database are, which model servers it talks to (or which
/// setting adds one), and on a fresh Hearth the first step, creating the admin account.
/// </summary>
internal static class StartupBanner
{
    public static async Task LogWhereHearthRunsAsync(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var fresh = auth.Enabled && !await app.Services.GetRequiredService<UserStore>().AnyAsync(CancellationToken.None);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var open = app.Services.GetRequiredService<IOptions<WebAccessOptions>>().Value.PublicUrl is { } publicUrl
                ? publicUrl + "/"
                : addresses.Select(Browsable).FirstOrDefault() ?? "";
            var data = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirFullPath;
            var database = app.Services.GetRequiredService<Database>().Description;
            app.Logger.LogInformation("Hearth {Version} is running: open {Address} (listening on {Addresses})",
                Common.CommonSetup.Version, open, string.Join(", ", addresses));
            app.Logger.LogInformation("Data in {DataDir}; database {Database}", data, database);
            var connections = app.Services.GetRequiredService<IOptions<CompletionOptions>>().Value.Connections;
            if (connections.Count == 0)
            {
                app.Logger.LogInformation("Model servers: none. Set OPENAI_API_BASE_URLS (with OPENAI_API_KEYS) or OLLAMA_BASE_URLS to chat with models");
            }
            else
            {
                app.Logger.LogInformation("Model servers: {Connections}",
                    string.Join(", ", connections.Select(c => $"{c.Id} {c.BaseUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}")));
            }
            if (fresh)
            {
                app.Logger.LogInformation("First step: create the admin account at {SignupPage} (the first account administers this Hearth)",
                    open.TrimEnd('/') + "/signup");
            }
            if (!auth.Enabled)
            {
                app.Logger.LogWarning("WEBUI_AUTH=false: anyone who can reach {Address} acts as the admin, without signing in", open);
            }
            if (HostingSetup.SecretsOnCommandLine.Count > 0)
            {
                app.Logger.LogWarning("{Settings} came on the command line, where other local users could read them while Hearth started " +
                    "(they are hidden now). Give secrets in the environment, or the signing key in {DataDir}/.webui_secret_key.",
                    string.Join(", ", HostingSetup.SecretsOnCommandLine), data);
            }
        });
    }

    /// <summary>An address a browser on this machine can open: a listener on every address (0.0.0.0, [::]) is reached as localhost.</summary>
    private static string Browsable(string address)
    {
        var binding = BindingAddress.Parse(address);
        var host = binding.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" ? "localhost" : binding.Host;
        return $"{binding.Scheme}://{host}:{binding.Port}/";
    }
}
