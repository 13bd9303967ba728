using System.Net.Http.Headers;
using Hearth.Server.Chats;
using Hearth.Server.Files;

namespace Hearth.Benchmarks;

/// <summary>
/// The gallery's page query over 100,000 artifacts in 1,000 conversations (at scale 1): Hearth's indexed
/// query against the seed's design of scanning every conversation folder on each request, in the same run.
/// </summary>
internal static class GalleryBenchmarks
{
    private static readonly string[] Extensions = ["png", "svg", "html", "py", "json", "md", "csv", "pdf", "txt", "zip"];

    public static async Task RunAsync(BenchmarkContext context, double scale)
    {
        var artifacts = (int)(100_000 * scale);
        var conversations = Math.Max((int)(1000 * scale), 1);
        var hearth = context.Hearth;
        var token = await hearth.SignUpAsync(context.Http, "gallery-bench");
        var userId = await UserIdAsync(context, token);
        Console.WriteLine($"Seeding {artifacts} artifacts (rows and files) across {conversations} conversations...");
        var chats = await new ChatSeeder(hearth.Services.GetRequiredService<ChatStore>()).SeedAsync(userId, conversations, 2, titlePrefix: "Gallery");
        await SeedAsync(hearth.Services.GetRequiredService<ArtifactFileStore>(), hearth.DataDir, userId, chats, artifacts);

        var db = BareSqlApp.ConnectionString(Path.Combine(hearth.DataDir, "hearth.db"));
        await using var bare = await BareSqlApp.StartAsync(app => FolderScanBaseline.Map(app, db, hearth.DataDir));
        // One reader paging through their gallery: latency is what the target is about.
        var one = context with { Options = context.Options with { Concurrency = 1 } };
        const int size = 20;
        var pages = (artifacts + size - 1) / size;
        var cases = FileKinds.Filters.Select(f => (f, 1))
            .Concat([(FileKinds.All, pages / 2), (FileKinds.All, pages), (FileKinds.Code, Math.Max(pages * 3 / 10 / 2, 1))]);
        foreach (var (type, page) in cases)
        {
            var (h, b) = await one.MeasurePairAsync($"gallery {type} page {page} of {artifacts} (vs folder scan)", "p99 < 20 ms",
                Get(context, token, new Uri(hearth.Address, $"/api/artifacts?type={type}&page={page}&size={size}")),
                Get(context, null, new Uri(bare.Address, $"/seed-design/users/{userId}/artifacts?type={type}&page={page}&size={size}")));
            context.Report.Note($"gallery {type} page {page}: Hearth p99 {h.P99Ms:F2} ms (target < 20 ms), folder scan p99 {b.P99Ms:F0} ms, " +
                                $"{b.P50Ms / h.P50Ms:F0}x faster at p50");
        }
    }

    private static async Task<string> UserIdAsync(BenchmarkContext context, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(context.Hearth.Address, "/api/v1/auths/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await (await context.Http.SendAsync(request)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        return me!["id"]!.GetValue<string>();
    }

    /// <summary>Rows straight through Hearth's store (as the rebuild command writes them) and a small file for each, so both designs see the same data.</summary>
    private static async Task SeedAsync(ArtifactFileStore store, string dataDir, string userId, List<string> chats, int count)
    {
        var batch = new List<ArtifactFileRow>();
        var start = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();
        var content = new byte[64];
        for (var i = 0; i < count; i++)
        {
            var chat = chats[i % chats.Count];
            var created = start + i * 10L;
            var id = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(created)).ToString();
            var name = $"artifact-{i}.{Extensions[i % Extensions.Length]}";
            var mime = FileKinds.MimeType(name, null);
            var key = $"uploads/conversations/{chat}/artifacts/{id}.{Extensions[i % Extensions.Length]}";
            var path = Path.Combine(dataDir, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
            File.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeMilliseconds(created).UtcDateTime);
            batch.Add(new ArtifactFileRow
            {
                Id = id, ChatId = chat, UserId = userId, Name = name, SearchName = name, MimeType = mime, Kind = FileKinds.Kind(name, mime),
                Size = content.Length, Sha256 = new string('0', 64), StorageKey = key, CreatedAt = created,
            });
            if (batch.Count == 5000 || i == count - 1)
            {
                await store.InsertManyAsync(batch, CancellationToken.None);
                batch.Clear();
            }
        }
    }

    private static Func<int, Task> Get(BenchmarkContext context, string? token, Uri uri) => async _ =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await context.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    };
}
