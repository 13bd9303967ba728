using Hearth.Server.ArtifactFiles;
using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// The gallery's page query over 100,000 artifacts in 1,000 conversations (at scale 1): Hearth's indexed
/// query against the seed's design of scanning every conversation folder on each request, in the same run.
/// </summary>
internal static class GalleryBenchmarks
{
    private static readonly string[] Extensions = ["png", "svg", "html", "py", "json", "md", "csv", "pdf", "txt", "zip"];

    public static async Task RunAsync(BenchmarkContext context)
    {
        var artifacts = (int)(100_000 * context.Options.Scale);
        var conversations = Math.Max((int)(1000 * context.Options.Scale), 1);
        var hearth = context.Hearth;
        var user = await hearth.CreateUserAsync(context.Http, "gallery-bench");
        var userId = user.Id;
        Console.WriteLine($"Seeding {artifacts} artifacts (rows and files) across {conversations} conversations...");
        var chats = await new ChatSeeder(hearth.Services.GetRequiredService<ChatStore>()).SeedAsync(userId, conversations, 2, titlePrefix: "Gallery");
        await SeedAsync(hearth.Services.GetRequiredService<ArtifactFileStore>(), hearth.DataDir, userId, chats, artifacts);

        var db = BareSqlApp.ConnectionString(Path.Combine(hearth.DataDir, "hearth.db"));
        await using var bare = await BareSqlApp.StartAsync(db, (api, _) => FolderScanBaseline.Map(api, db, hearth.DataDir));
        var bareAddress = BareSqlApp.AddressOf(bare);
        // One reader paging through their gallery: latency is what the target is about.
        var one = context.WithConcurrency(1);
        const int size = 20;
        var pages = (artifacts + size - 1) / size;
        var cases = FileKinds.Filters.Select(f => (f, 1))
            .Concat([(FileKinds.All, pages / 2), (FileKinds.All, pages), (FileKinds.Code, Math.Max(pages * 3 / 10 / 2, 1))]);
        foreach (var (type, page) in cases)
        {
            var rounds = await one.MeasureAsync(
                one.Side("folder scan", Requests.Repeat(context.Http, () => Requests.Get(new Uri(bareAddress, $"/seed-design/artifacts?type={type}&page={page}&size={size}"), user.Key))),
                one.Side("hearth", Requests.Repeat(context.Http, () => Requests.Get(new Uri(hearth.Address, $"/api/artifacts?type={type}&page={page}&size={size}"), user.Key))));
            var result = context.Report.Add($"gallery {type} page {page} of {artifacts} (vs folder scan)", "p99 < 20 ms", rounds, "hearth", "folder scan");
            context.Report.Note($"gallery {type} page {page}: Hearth p99 {result.Hearth.P99Ms:F2} ms {Report.AtMost(result.Hearth.P99Ms, 20, " ms")}, " +
                                $"folder scan p99 {result.Baseline.P99Ms:F0} ms, {rounds.CostRatio("folder scan", "hearth"):F0}x Hearth's p50");
        }
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
}
