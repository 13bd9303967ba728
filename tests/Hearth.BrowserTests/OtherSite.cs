using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.BrowserTests;

/// <summary>
/// Another site on its own loopback port (another origin than Hearth's): it records every request that
/// reaches it, which is how a test sees whether an artifact got anything out, and serves pages set with
/// <see cref="Serve"/> (to frame Hearth from outside).
/// </summary>
public sealed class OtherSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages = new();

    private OtherSite(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri Address { get; private set; } = null!;

    public static async Task<OtherSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var site = new OtherSite(builder.Build());
        site._app.Run(async http =>
        {
            site.Requests.Enqueue($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}");
            if (site._pages.TryGetValue(http.Request.Path, out var html))
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(html);
                return;
            }
            await http.Response.WriteAsync("received");
        });
        await site._app.StartAsync();
        var address = site._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site.Address = new Uri(address);
        return site;
    }

    /// <summary>An origin like <c>http://127.0.0.1:41234</c>, for artifacts to aim at.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public void Serve(string path, string html) => _pages[path] = html;

    /// <summary>The requests that reached this site for anything but the pages it serves.</summary>
    public string[] Received() => Requests.Where(r => !_pages.Keys.Any(p => r.StartsWith("GET " + p, StringComparison.Ordinal))).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
