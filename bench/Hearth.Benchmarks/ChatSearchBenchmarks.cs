using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// chats-search: <c>GET /api/v1/chats/search?text=word</c> over many messages, one request at a time, against the
/// same query hand-written (<see cref="BareChatRoutes"/>), and the blob design's JSON scan for reference.
/// </summary>
internal static class ChatSearchBenchmarks
{
    public static async Task RunAsync(BenchmarkContext context, ChatSeeder seeder, Uri bare, string blobDb)
    {
        var chats = (int)(10_000 * context.Options.Scale);
        const int perChat = 100;
        Console.WriteLine($"Seeding {chats} chats x {perChat} messages for search (and the same as JSON blobs)...");
        var user = await context.Hearth.CreateUserAsync(context.Http, "search-bench");
        var blobSeeder = new ChatSeeder(context.Hearth.Services.GetRequiredService<ChatStore>());
        await seeder.SeedAsync(user.Id, chats, perChat, titlePrefix: "Search");
        for (var i = 0; i < chats; i++)
        {
            await BlobBaseline.InsertAsync(blobDb, Guid.NewGuid().ToString(), user.Id, blobSeeder.Chat($"Search {i}", perChat));
        }
        // Words of middling frequency: each is in roughly one message in a few thousand. Each side asks for the
        // same sequence of words.
        var words = ChatSeeder.Vocabulary[4000..6000];
        Func<int, Task> Searching(Uri address, string path)
        {
            var random = new Random(11);
            return Requests.Repeat(context.Http, () =>
                Requests.Get(new Uri(address, $"{path}?text={Uri.EscapeDataString(words[random.Next(words.Length)])}"), user.Key));
        }
        var one = context.WithConcurrency(1);
        var rounds = await one.MeasureAsync(one.Side("baseline", Searching(bare, "/bare/chats/search")),
            one.Side("hearth", Searching(context.Hearth.Address, "/api/v1/chats/search")),
            one.Side("blob", Searching(bare, "/blob/chats/search")));
        context.Report.Add($"search over {chats * perChat} messages (vs same SQL)", "p95 < 100 ms", rounds, "hearth", "baseline");
        var blob = rounds.Median("blob");
        context.Report.Note($"search over {chats * perChat} messages, blob design (JSON scan): p50 {blob.P50Ms:F0} ms, {blob.RequestsPerSecond:F2}/s, " +
                            $"{rounds.CostRatio("blob", "hearth"):F0}x Hearth's p50");
    }
}
