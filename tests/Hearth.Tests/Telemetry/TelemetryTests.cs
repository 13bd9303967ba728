using System.Diagnostics;
using System.Globalization;
using Hearth.Server.Telemetry;
using Hearth.Tests.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.KeyValue;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Telemetry;

/// <summary>
/// Meter listeners are process-wide and pick instruments by meter name, so another test server's ASP.NET Core meter,
/// disposed with its server, can end the series these tests read: they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>The Prometheus endpoint and the OTLP export: off by default, and when on, they show real traffic.</summary>
[Collection(TelemetryCollection.Name)]
public abstract class TelemetryTests(DatabaseKind kind)
{
    [Fact]
    public async Task MetricsAreOffByDefault()
    {
        await using var app = await HearthApp.StartAsync(kind);
        Assert.Equal(404, (int)(await app.Client().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task TheScrapeEndpointCountsRequestsAndShowsTheDatabaseAndArtifacts()
    {
        await using var app = await HearthApp.StartAsync(kind, new Dictionary<string, string?> { ["ENABLE_PROMETHEUS_METRICS"] = "true" });
        var client = app.Client();
        Assert.Equal(200, (int)(await client.GetAsync("/health")).StatusCode);
        var before = await HealthRequestsAsync(client, atLeast: 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (int)(await client.GetAsync("/health")).StatusCode);
        }
        Assert.Equal(before + 3, await HealthRequestsAsync(client, atLeast: before + 3));

        await app.SignUpAsync("Ada");
        var text = await client.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("hearth_artifacts_bytes", text);
        Assert.Contains(kind == DatabaseKind.Sqlite ? "hearth_db_sqlite_connections_open" : "db_client_connection", text);
    }

    [Fact]
    public async Task TheArtifactTotalsAreTheBytesStoredInTheKeyValueStoreAndInFiles()
    {
        await using var app = await HearthApp.StartAsync(kind, new Dictionary<string, string?> { ["ENABLE_PROMETHEUS_METRICS"] = "true" });
        var store = app.Services.GetRequiredService<ArtifactTotalsStore>();
        Assert.Equal(new ArtifactTotals(0, 0), await store.ReadAsync(CancellationToken.None));

        var ada = await app.SignUpAsync("Ada");
        var chat = await ChatDocs.CreateIdAsync(ada, "With files");
        await ArtifactUploads.UploadAsync(ada, chat, "notes.txt", "plain words");
        await ArtifactUploads.UploadAsync(ada, chat, "more.txt", "twelve bytes");
        await Json.ReadAsync(await ada.Client.StoreAsync("notes", "personal", """{"a": 1}"""), 200);
        var first = await store.ReadAsync(CancellationToken.None);
        Assert.Equal(11 + 12, first.FileBytes);
        Assert.True(first.KeyValueBytes > 0);

        await Json.ReadAsync(await ada.Client.StoreAsync("more", "personal", """{"b": "a longer value than before"}"""), 200);
        Assert.True((await store.ReadAsync(CancellationToken.None)).KeyValueBytes > first.KeyValueBytes);
    }

    /// <summary>The count of answered <c>GET /health</c> requests, polled until it reaches <paramref name="atLeast"/>
    /// (a request is counted as its answer completes, just after the client has it).</summary>
    private static async Task<long> HealthRequestsAsync(HttpClient client, long atLeast)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await client.GetStringAsync("/metrics");
            var count = text.Split('\n')
                .Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal) && l.Contains("http_route=\"/health\""))
                .Sum(l => long.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            if (count >= atLeast || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                return count;
            }
            await Task.Delay(20);
        }
    }

    // TODO(issue 15): passed alone, but once in three runs beside other servers no span reached the collector before the
    // server's disposal; to be made deterministic (wait for the export before disposing) before it counts.
    [Fact]
    public async Task EnableOtelSendsSpansToTheCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var service = $"hearth-test-{Guid.NewGuid():N}";
        await using var app = await HearthApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["ENABLE_OTEL"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_OTLP_SPAN_EXPORTER"] = "http",
            ["OTEL_SERVICE_NAME"] = service,
            // Batches go out while the server runs (the SDK reads OTEL_BSP_* from configuration), so the test waits
            // for them instead of counting on the flush at shutdown, which a loaded machine may cut short.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRICS_EXPORT_INTERVAL_MILLIS"] = "200",
        });
        Assert.Equal(200, (int)(await app.Client().GetAsync("/health")).StatusCode);
        await app.SignUpAsync("Ada");
        var database = kind == DatabaseKind.Sqlite ? "sqlite connection" : "postgresql";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(collector.Received("/v1/traces", service) && collector.Received("/v1/traces", "/api/v1/auths/signup")
                 && collector.Received("/v1/traces", database) && collector.Received("/v1/metrics", "http.server.request.duration"))
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(collector.Received("/v1/traces", service), "no spans named the service");
        Assert.True(collector.Received("/v1/traces", "/api/v1/auths/signup"), "no span of the sign-up request");
        Assert.True(collector.Received("/v1/traces", database), "no database span");
        Assert.True(collector.Received("/v1/metrics", "http.server.request.duration"), "no request metrics");
        Assert.All(collector.Posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTestsOnSqlite() : TelemetryTests(DatabaseKind.Sqlite);
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTestsOnPostgres() : TelemetryTests(DatabaseKind.Postgres);
