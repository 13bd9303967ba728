using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Hearth.Server.Telemetry;
using Hearth.Tests.ArtifactFiles;
using Hearth.Tests.Chats;
using Hearth.Tests.Completions;
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

    [Fact]
    public async Task TheScrapeEndpointCountsTheRepliesStreamingNow()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        using var gate = new SemaphoreSlim(0);
        model.Enqueue(new Script(["Still ", "going"], ChunkGate: gate));
        await using var app = await HearthApp.StartAsync(kind, new Dictionary<string, string?>
        {
            ["ENABLE_PROMETHEUS_METRICS"] = "true",
            ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
        });
        var ada = await app.SignUpAsync("Ada");
        var chatId = await ChatDocs.CreateIdAsync(ada, "Live", 1);
        Assert.Equal(0, await ActiveStreamsAsync(app.Client(), 0));
        var answer = ada.Client.PostAsJsonAsync("/api/chat/completions", new
        {
            model = "gpt-test", stream = true, chat_id = chatId, id = "r", parent_id = "a0",
            messages = new[] { new { role = "user", content = "tell me" } },
        });
        Assert.Equal(1, await ActiveStreamsAsync(app.Client(), 1));
        gate.Release(2);
        Assert.Contains("going", await (await answer).Content.ReadAsStringAsync());
        Assert.Equal(0, await ActiveStreamsAsync(app.Client(), 0));
    }

    /// <summary>The <c>hearth_completions_active_streams</c> gauge, polled until it is <paramref name="expected"/> (or 15 s pass).</summary>
    private static async Task<long> ActiveStreamsAsync(HttpClient client, long expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await client.GetStringAsync("/metrics");
            var value = text.Split('\n').Where(l => l.StartsWith("hearth_completions_active_streams", StringComparison.Ordinal))
                .Sum(l => long.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            if (value == expected || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                return value;
            }
            await Task.Delay(20);
        }
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

    [Fact]
    public async Task EnableOtelSendsSpansToTheCollector()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var model = await ScriptedModelServer.StartAsync();
        model.Enqueue(new Script(["Traced ", "reply"]));
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
            ["OPENAI_API_BASE_URLS"] = new Uri(model.Address, "/v1").ToString(),
        });
        Assert.Equal(200, (int)(await app.Client().GetAsync("/health")).StatusCode);
        var ada = await app.SignUpAsync("Ada");
        var answer = await ada.Client.PostAsJsonAsync("/api/chat/completions", new { model = "gpt-test", messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(200, (int)answer.StatusCode);
        var database = kind == DatabaseKind.Sqlite ? "sqlite connection" : "postgresql";
        // The model server's side of a completion: Hearth's call to it (the client span names its address).
        var modelCall = $"{model.Address.Authority}/v1/chat/completions";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(collector.Received("/v1/traces", service) && collector.Received("/v1/traces", "/api/v1/auths/signup")
                 && collector.Received("/v1/traces", database) && collector.Received("/v1/traces", modelCall)
                 && collector.Received("/v1/metrics", "http.server.request.duration"))
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(collector.Received("/v1/traces", service), "no spans named the service");
        Assert.True(collector.Received("/v1/traces", "/api/v1/auths/signup"), "no span of the sign-up request");
        Assert.True(collector.Received("/v1/traces", database), "no database span");
        Assert.True(collector.Received("/v1/traces", modelCall), "no span of the call to the model server");
        Assert.True(collector.Received("/v1/metrics", "http.server.request.duration"), "no request metrics");
        Assert.All(collector.Posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTestsOnSqlite() : TelemetryTests(DatabaseKind.Sqlite);
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTestsOnPostgres() : TelemetryTests(DatabaseKind.Postgres);
