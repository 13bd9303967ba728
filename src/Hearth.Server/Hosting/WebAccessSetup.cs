using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>
/// <see cref="WebAccessOptions"/> at work: ASP.NET Core's forwarded-headers middleware for the trusted proxies
/// (so the scheme, host and client address are the browser's), and its CORS middleware with one policy per
/// request's origin (<see cref="OriginPolicies"/>).
/// </summary>
internal static class WebAccessSetup
{
    /// <summary>Hearth's headers a page on another origin may read (ASP.NET Core's list is empty).</summary>
    private static readonly string[] ExposedHeaders = ["ETag", "Content-Disposition", "Retry-After", "X-Next-Cursor", "X-Next-Page"];

    public static IServiceCollection AddWebAccess(this IServiceCollection services)
    {
        services.AddOptions<WebAccessOptions>().Configure<IConfiguration>(WebAccessOptions.MapEnvironment).ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebAccessOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Every hop of a chain of trusted proxies is read back to the first untrusted address.
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            if (!web.Value.TrustAnyProxy)
            {
                web.Value.Proxies.ForEach(forwarded.KnownProxies.Add);
                web.Value.ProxyNetworks.ForEach(forwarded.KnownIPNetworks.Add);
            }
        });
        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider, OriginPolicies>();
        services.AddSingleton<PublicAddress>();
        return services;
    }

    /// <summary>First of all: what follows sees the browser's scheme, host and address, and preflights are answered.</summary>
    public static IApplicationBuilder UseWebAccess(this IApplicationBuilder app) => app.UseForwardedHeaders().UseCors();

    /// <summary>
    /// A listed origin gets the policy with credentials (the cookie); any other gets the open policy without them
    /// when <c>*</c> is allowed, else one that allows nothing, so its preflight is answered and refused alike.
    /// </summary>
    private sealed class OriginPolicies : ICorsPolicyProvider
    {
        private readonly WebAccessOptions _options;
        private readonly CorsPolicy _credentialed;
        private readonly CorsPolicy _open;
        private readonly CorsPolicy _closed = new CorsPolicyBuilder().Build();

        public OriginPolicies(IOptions<WebAccessOptions> options)
        {
            _options = options.Value;
            _credentialed = Common(new CorsPolicyBuilder().WithOrigins([.. _options.CredentialedOrigins]).AllowCredentials());
            _open = Common(new CorsPolicyBuilder().AllowAnyOrigin());
        }

        private static CorsPolicy Common(CorsPolicyBuilder builder) =>
            builder.AllowAnyMethod().AllowAnyHeader().WithExposedHeaders(ExposedHeaders).SetPreflightMaxAge(TimeSpan.FromMinutes(10)).Build();

        public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
        {
            var origin = context.Request.Headers.Origin.ToString();
            var policy = _options.CredentialedOrigins.Contains(origin) ? _credentialed : _options.AnyOrigin ? _open : _closed;
            return Task.FromResult<CorsPolicy?>(policy);
        }
    }
}

/// <summary>The address people reach Hearth at: <c>WEBUI_URL</c> when set, else the one the request came to (through trusted proxies).</summary>
internal sealed class PublicAddress(IOptions<WebAccessOptions> options)
{
    /// <summary>An absolute URL for a path of Hearth's (<c>/api/...</c>).</summary>
    public string Url(HttpRequest request, string path) =>
        (options.Value.PublicUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}") + path;
}
