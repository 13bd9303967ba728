using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

internal static class HostingSetup
{
    /// <summary>
    /// Binds <see cref="ServerOptions"/> from <c>Server:*</c> and the Open WebUI names, and listens on
    /// <c>http://HOST:PORT</c> unless <c>ASPNETCORE_URLS</c> or <c>--urls</c> chose the addresses already.
    /// </summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        // Before anything is created or started: Hearth's files are its own, and secrets leave the command line.
        PrivateFiles.ApplyMask();
        SecretsOnCommandLine = CommandLineSecrets.Hide();
        builder.Services.AddOptions<ServerOptions>()
            .BindConfiguration("Server")
            .Configure<IConfiguration>(MapEnvironment)
            .ValidateOnStart();
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var options = new ServerOptions();
            MapEnvironment(options, builder.Configuration);
            builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        }
        return builder;
    }

    /// <summary>The secret settings given as arguments (now hidden), for the warning at start-up.</summary>
    internal static IReadOnlyList<string> SecretsOnCommandLine { get; private set; } = [];

    public static void MapEnvironment(ServerOptions options, IConfiguration configuration)
    {
        options.Port = (int)(Setting.Long(configuration, "PORT", 1, 65535) ?? options.Port);
        options.Host = Setting.Raw(configuration, "HOST") ?? options.Host;
        options.DataDir = Setting.Raw(configuration, "DATA_DIR") ?? options.DataDir;
        options.MaxRequestBodySize = Setting.Long(configuration, "MAX_REQUEST_BODY_SIZE", 1024, long.MaxValue)
            ?? options.MaxRequestBodySize;
    }

    private sealed class KestrelLimits(IOptions<ServerOptions> server) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options)
        {
            options.Limits.MaxRequestBodySize = server.Value.MaxRequestBodySize;
            RequestHeadLimits.RaiseKestrelLimits(options.Limits);
        }
    }
}
