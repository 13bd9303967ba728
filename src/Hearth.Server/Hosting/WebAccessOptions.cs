using System.Net;

namespace Hearth.Server.Hosting;

/// <summary>
/// How Hearth is reached from the web, in Open WebUI's (and uvicorn's) names:
/// <list type="bullet">
/// <item><c>CORS_ALLOW_ORIGIN</c>: the web pages (origins, <c>;</c>-separated) that may call Hearth from a browser
/// with the user's cookie, and <c>*</c> for any page calling it with a key or token of its own (never with the cookie).
/// Unset, it is <c>*</c>, as in Open WebUI and OpenAI's API, except with <c>WEBUI_AUTH=false</c>: there signing in
/// with nothing gives the admin's token, so any page could read everything, and no other page may call Hearth unless listed.</item>
/// <item><c>FORWARDED_ALLOW_IPS</c>: the reverse proxies (addresses or networks, <c>,</c>- or <c>;</c>-separated, or
/// <c>*</c>) whose <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> Hearth believes; loopback when unset, as uvicorn.</item>
/// <item><c>WEBUI_URL</c>: the address people use (<c>https://chat.example.com</c>), for the links Hearth hands out.</item>
/// </list>
/// </summary>
internal sealed class WebAccessOptions
{
    /// <summary>Pages allowed to call Hearth with the user's cookie (normalised origins).</summary>
    public HashSet<string> CredentialedOrigins { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether any page may call Hearth without the cookie.</summary>
    public bool AnyOrigin { get; set; }

    public bool TrustAnyProxy { get; set; }
    public List<IPAddress> Proxies { get; } = [];
    public List<IPNetwork> ProxyNetworks { get; } = [];

    /// <summary><c>WEBUI_URL</c> without its trailing slash, or null to answer with the address a request came to.</summary>
    public string? PublicUrl { get; set; }

    public static void MapEnvironment(WebAccessOptions options, IConfiguration configuration)
    {
        var singleUser = Setting.Bool(configuration, "WEBUI_AUTH") == false;
        var origins = Setting.Raw(configuration, "CORS_ALLOW_ORIGIN") ?? (singleUser ? "" : "*");
        foreach (var origin in origins.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (origin == "*")
            {
                options.AnyOrigin = true;
            }
            else
            {
                options.CredentialedOrigins.Add(Origin(origin) ?? throw Setting.Invalid("CORS_ALLOW_ORIGIN", origins,
                    "* or origins such as https://app.example.com;http://localhost:5173 (scheme, host and port only)"));
            }
        }
        var proxies = Setting.Raw(configuration, "FORWARDED_ALLOW_IPS") ?? "127.0.0.1;::1";
        foreach (var proxy in proxies.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (proxy == "*")
            {
                options.TrustAnyProxy = true;
            }
            else if (IPAddress.TryParse(proxy, out var address))
            {
                options.Proxies.Add(address);
            }
            else if (IPNetwork.TryParse(proxy, out var network))
            {
                options.ProxyNetworks.Add(network);
            }
            else
            {
                throw Setting.Invalid("FORWARDED_ALLOW_IPS", proxies, "* or IP addresses and networks such as 172.18.0.0/16, separated by commas");
            }
        }
        if (Setting.Raw(configuration, "WEBUI_URL") is { } url)
        {
            options.PublicUrl = Origin(url) is { } root && (root.StartsWith("http://", StringComparison.Ordinal) || root.StartsWith("https://", StringComparison.Ordinal)) ? root : throw Setting.Invalid("WEBUI_URL", url,
                "the http(s) address of Hearth's root as people open it, such as https://chat.example.com (Hearth is served at the root of its host)");
        }
    }

    /// <summary><c>scheme://host[:port]</c> as browsers send it in <c>Origin</c>, or null for anything with a path, query or user.</summary>
    private static string? Origin(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0
            && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
