using Hearth.Server.Hosting;

namespace Hearth.Server.Completions;

internal enum ConnectionKind
{
    OpenAi,
    Ollama,
}

/// <summary>One model server Hearth talks to.</summary>
internal sealed record ModelConnection(string Id, ConnectionKind Kind, Uri BaseUrl, string? ApiKey);

/// <summary>
/// Model servers and limits, from Open WebUI's names: <c>OPENAI_API_BASE_URLS</c>/<c>OPENAI_API_KEYS</c>
/// (semicolon-separated, or the singular forms), <c>OLLAMA_BASE_URLS</c>/<c>OLLAMA_BASE_URL</c>, and
/// <c>AIOHTTP_CLIENT_TIMEOUT</c> (seconds until the first byte of a reply).
/// </summary>
internal sealed class CompletionOptions
{
    public List<ModelConnection> Connections { get; } = [];
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(300);
    public TimeSpan ModelListTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int ToolMaxRounds { get; set; } = 5;
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How many saves of streaming replies of each kind (<see cref="ReplySaveSlots"/>: progress, milestones) may use
    /// the database at once: a few keep up with hundreds of streams (each save is one message row) and leave the
    /// rest of the connection pool to requests.
    /// </summary>
    public int ConcurrentReplySaves { get; set; } = 8;

    /// <summary>BYPASS_MODEL_ACCESS_CONTROL: every user may use every model (upstream's default: no, only as granted).</summary>
    public bool BypassModelAccessControl { get; set; }

    /// <summary>BYPASS_ADMIN_ACCESS_CONTROL: admins see and use every model whatever its grants (upstream's default: yes).</summary>
    public bool BypassAdminAccessControl { get; set; } = true;

    public static void MapEnvironment(CompletionOptions options, IConfiguration configuration)
    {
        var openAi = List(configuration, "OPENAI_API_BASE_URLS", "OPENAI_API_BASE_URL");
        var keys = List(configuration, "OPENAI_API_KEYS", "OPENAI_API_KEY");
        for (var i = 0; i < openAi.Count; i++)
        {
            if (openAi[i].Length == 0)
            {
                continue;
            }
            options.Connections.Add(new ModelConnection($"openai-{i}", ConnectionKind.OpenAi, Url(openAi[i], "OPENAI_API_BASE_URLS"),
                i < keys.Count && keys[i].Length > 0 ? keys[i] : keys.Count == 1 ? keys[0] : null));
        }
        var ollama = List(configuration, "OLLAMA_BASE_URLS", "OLLAMA_BASE_URL");
        foreach (var (url, i) in ollama.Where(u => u.Length > 0).Select((u, i) => (u, i)))
        {
            options.Connections.Add(new ModelConnection($"ollama-{i}", ConnectionKind.Ollama, Url(url, "OLLAMA_BASE_URLS"), null));
        }
        options.ConnectTimeout = Seconds(configuration, "MODEL_CONNECT_TIMEOUT") ?? options.ConnectTimeout;
        options.FirstByteTimeout = Seconds(configuration, "AIOHTTP_CLIENT_TIMEOUT") ?? options.FirstByteTimeout;
        options.ModelListTimeout = Seconds(configuration, "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST") ?? options.ModelListTimeout;
        options.BypassModelAccessControl = Setting.Bool(configuration, "BYPASS_MODEL_ACCESS_CONTROL") ?? options.BypassModelAccessControl;
        options.BypassAdminAccessControl = Setting.Bool(configuration, "BYPASS_ADMIN_ACCESS_CONTROL") ?? options.BypassAdminAccessControl;
        options.ToolMaxRounds = (int)(Setting.Long(configuration, "TOOL_MAX_ROUNDS", 1, 50) ?? options.ToolMaxRounds);
    }

    /// <summary>The plural setting split on semicolons (positions kept: keys pair with URLs), else the singular one.</summary>
    private static List<string> List(IConfiguration configuration, string plural, string singular) =>
        (Setting.Raw(configuration, plural) ?? Setting.Raw(configuration, singular)) is { } raw
            ? raw.Split(';').Select(s => s.Trim()).ToList()
            : [];

    private static Uri Url(string value, string name) =>
        Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Setting.Invalid(name, value, "http(s) URLs separated by semicolons");

    private static TimeSpan? Seconds(IConfiguration configuration, string name) =>
        Setting.Long(configuration, name, 1, 86_400) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
