using Hearth.Server.Hosting;

namespace Hearth.Server.Telemetry;

/// <summary>
/// OpenTelemetry in Open WebUI's names: <c>ENABLE_OTEL</c> (off by default) exports traces and metrics over OTLP;
/// <c>ENABLE_OTEL_TRACES</c>/<c>ENABLE_OTEL_METRICS</c> set to false leave one out. <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (http://localhost:4317), <c>OTEL_METRICS_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_OTLP_SPAN_EXPORTER</c> and
/// <c>OTEL_METRICS_OTLP_SPAN_EXPORTER</c> (grpc or http), <c>OTEL_SERVICE_NAME</c> (hearth), <c>OTEL_RESOURCE_ATTRIBUTES</c>
/// (key=value,...), <c>OTEL_TRACES_SAMPLER</c>, <c>OTEL_BASIC_AUTH_USERNAME</c>/<c>_PASSWORD</c> (and the <c>OTEL_METRICS_</c>
/// ones), <c>OTEL_METRICS_EXPORT_INTERVAL_MILLIS</c>. Hearth's own <c>ENABLE_PROMETHEUS_METRICS</c> serves the metrics at
/// <c>/metrics</c> for a Prometheus scrape, with or without OTLP.
/// </summary>
internal sealed class TelemetryOptions
{
    public bool Otel { get; set; }
    public bool Traces { get; set; }
    public bool Metrics { get; set; }
    public bool Prometheus { get; set; }
    public OtlpTarget Spans { get; set; } = new(new Uri("http://localhost:4317"), Grpc: true, null);
    public OtlpTarget MetricsTarget { get; set; } = new(new Uri("http://localhost:4317"), Grpc: true, null);
    public string ServiceName { get; set; } = "hearth";
    public List<KeyValuePair<string, object>> ResourceAttributes { get; } = [];
    public string Sampler { get; set; } = "parentbased_always_on";
    public int ExportIntervalMilliseconds { get; set; } = 10_000;

    /// <summary>Whether any meter provider is needed (OTLP metrics or the scrape endpoint).</summary>
    public bool AnyMetrics => Metrics || Prometheus;

    public static readonly string[] Samplers = ["always_on", "always_off", "parentbased_always_on", "parentbased_always_off"];

    public static void MapEnvironment(TelemetryOptions options, IConfiguration configuration)
    {
        options.Otel = Setting.Bool(configuration, "ENABLE_OTEL") ?? false;
        options.Traces = options.Otel && (Setting.Bool(configuration, "ENABLE_OTEL_TRACES") ?? true);
        options.Metrics = options.Otel && (Setting.Bool(configuration, "ENABLE_OTEL_METRICS") ?? true);
        options.Prometheus = Setting.Bool(configuration, "ENABLE_PROMETHEUS_METRICS") ?? false;
        var endpoint = Setting.Raw(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT") ?? "http://localhost:4317";
        var protocol = Setting.Raw(configuration, "OTEL_OTLP_SPAN_EXPORTER") ?? "grpc";
        options.Spans = Target("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_OTLP_SPAN_EXPORTER", protocol,
            Basic(configuration, "OTEL_BASIC_AUTH_USERNAME", "OTEL_BASIC_AUTH_PASSWORD", null));
        options.MetricsTarget = Target("OTEL_METRICS_EXPORTER_OTLP_ENDPOINT",
            Setting.Raw(configuration, "OTEL_METRICS_EXPORTER_OTLP_ENDPOINT") ?? endpoint,
            "OTEL_METRICS_OTLP_SPAN_EXPORTER", Setting.Raw(configuration, "OTEL_METRICS_OTLP_SPAN_EXPORTER") ?? protocol,
            Basic(configuration, "OTEL_METRICS_BASIC_AUTH_USERNAME", "OTEL_METRICS_BASIC_AUTH_PASSWORD", options.Spans.Authorization));
        options.ServiceName = Setting.Raw(configuration, "OTEL_SERVICE_NAME") ?? options.ServiceName;
        var attributes = Setting.Raw(configuration, "OTEL_RESOURCE_ATTRIBUTES") ?? "";
        foreach (var pair in attributes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            options.ResourceAttributes.Add(parts.Length == 2 && parts[0].Length > 0
                ? new(parts[0], parts[1])
                : throw Setting.Invalid("OTEL_RESOURCE_ATTRIBUTES", attributes, "key=value pairs separated by commas"));
        }
        var sampler = Setting.Raw(configuration, "OTEL_TRACES_SAMPLER")?.ToLowerInvariant() ?? options.Sampler;
        options.Sampler = Samplers.Contains(sampler) ? sampler : throw Setting.Invalid("OTEL_TRACES_SAMPLER", sampler, string.Join(", ", Samplers));
        options.ExportIntervalMilliseconds = (int)(Setting.Long(configuration, "OTEL_METRICS_EXPORT_INTERVAL_MILLIS", 100, int.MaxValue)
            ?? options.ExportIntervalMilliseconds);
    }

    private static OtlpTarget Target(string endpointName, string endpoint, string protocolName, string protocol, string? authorization)
    {
        var grpc = protocol.ToLowerInvariant() switch
        {
            "grpc" => true,
            "http" => false,
            _ => throw Setting.Invalid(protocolName, protocol, "grpc or http"),
        };
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new OtlpTarget(uri, grpc, authorization)
            : throw Setting.Invalid(endpointName, endpoint, "the collector's http(s) address, such as http://localhost:4317");
    }

    /// <summary>An <c>Authorization: Basic ...</c> value when both names are set; else <paramref name="fallback"/>.</summary>
    private static string? Basic(IConfiguration configuration, string userName, string passwordName, string? fallback) =>
        Setting.Raw(configuration, userName) is { } user && Setting.Raw(configuration, passwordName) is { } password
            ? "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"))
            : fallback;
}

/// <summary>Where one OTLP exporter sends: the collector's address, gRPC or HTTP/protobuf, and its Authorization header.</summary>
internal sealed record OtlpTarget(Uri Endpoint, bool Grpc, string? Authorization)
{
    /// <summary>Over HTTP the signal's path is added to a base address (<c>/v1/traces</c>), as the OTLP specification's variable asks.</summary>
    public Uri For(string signalPath) =>
        Grpc || Endpoint.AbsolutePath.EndsWith(signalPath, StringComparison.Ordinal)
            ? Endpoint
            : new Uri(Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + signalPath);
}
