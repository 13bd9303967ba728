using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hearth.Server.Telemetry;

/// <summary>
/// Traces (HTTP served, model-server and other HttpClient calls, Npgsql's commands, SQLite connections) and metrics
/// (requests and latencies, active requests and streams, Npgsql's pool, SQLite connections, artifact bytes), exported
/// over OTLP with <c>ENABLE_OTEL</c> and served at <c>/metrics</c> with <c>ENABLE_PROMETHEUS_METRICS</c>. Off, nothing is
/// registered and Hearth's own instruments record into nothing.
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = new TelemetryOptions();
        TelemetryOptions.MapEnvironment(options, builder.Configuration);
        builder.Services.AddSingleton(options);
        if (!options.Traces && !options.AnyMetrics)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
            resource.AddService(options.ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString())
                .AddAttributes(options.ResourceAttributes));
        if (options.Traces)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(Sampler(options.Sampler))
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql", HearthTelemetry.Name)
                .AddOtlpExporter(exporter => Point(exporter, options.Spans, "/v1/traces")));
        }
        if (options.AnyMetrics)
        {
            builder.Services.AddSingleton<ArtifactTotalsStore>();
            builder.Services.AddHostedService<ArtifactBytesGauge>();
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter("Npgsql", HearthTelemetry.Name);
                if (options.Metrics)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Point(exporter, options.MetricsTarget, "/v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.ExportIntervalMilliseconds;
                    });
                }
                if (options.Prometheus)
                {
                    // Every scrape reads the values of that moment (the exporter would otherwise answer from a 300 ms cache).
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        }
        return builder;
    }

    /// <summary><c>/metrics</c> in Prometheus' text format, open to anyone who reaches it (put it behind the network's rules).</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetryOptions>().Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }
        return app;
    }

    private static void Point(OtlpExporterOptions exporter, OtlpTarget target, string signalPath)
    {
        exporter.Protocol = target.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = target.For(signalPath);
        if (target.Authorization is { } authorization)
        {
            exporter.Headers = $"Authorization={authorization}";
        }
    }

    private static Sampler Sampler(string name) => name switch
    {
        "always_on" => new AlwaysOnSampler(),
        "always_off" => new AlwaysOffSampler(),
        "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
        _ => new ParentBasedSampler(new AlwaysOnSampler()),
    };
}
