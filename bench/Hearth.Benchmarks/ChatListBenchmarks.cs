using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Benchmarks;

/// <summary>
/// chats-list: the default chat list (<c>GET /api/v1/chats/?page=N</c>) over many chats, one request at a time,
/// against the OFFSET design (<see cref="BareChatRoutes"/>): the same rows found by skipping index entries.
/// </summary>
internal static class ChatListBenchmarks
{
    public static async Task RunAsync(BenchmarkContext context, ChatSeeder seeder, Uri bare)
    {
        var chats = (int)(100_000 * context.Options.Scale);
        Console.WriteLine($"Seeding {chats} chats for the list...");
        var user = await context.Hearth.CreateUserAsync(context.Http, "list-bench");
        await seeder.SeedAsync(user.Id, chats, 2);
        var pages = Math.Max(chats / 60, 1);
        // A latency target: measured one request at a time, so queueing behind other clients does not count.
        context = context.WithConcurrency(1);
        Func<int, Task> Page(Uri address, string path, Func<int> page) =>
            Requests.Repeat(context.Http, () => Requests.Get(new Uri(address, $"{path}?page={page()}"), user.Key));
        Func<int, Task> Hearth(Func<int> page) => Page(context.Hearth.Address, "/api/v1/chats/", page);
        Func<int, Task> Offset(Func<int> page) => Page(bare, "/bare/chats", page);
        await context.MeasurePairAsync($"chat list page 1 of {chats} chats (vs OFFSET design)", "p99 < 10 ms", Hearth(() => 1), Offset(() => 1));
        // Both sides ask for the same sequence of pages.
        Func<int> RandomPages()
        {
            var random = new Random(7);
            return () => random.Next(1, pages + 1);
        }
        await context.MeasurePairAsync($"chat list random page of {chats} chats (vs OFFSET design)", "p99 < 10 ms",
            Hearth(RandomPages()), Offset(RandomPages()));
        // The worst case: the list changed before every request, so no page start Hearth remembered may be used
        // and each page is found by walking the index. The change is made before each request on both sides.
        var database = context.Hearth.Services.GetRequiredService<Database>();
        Func<int, Task> AfterAChange(Func<int, Task> request) => async worker =>
        {
            await using (var connection = await database.OpenAsync(default))
            {
                await connection.ExecuteAsync("UPDATE chat_list_versions SET version = version + 1 WHERE user_id = @userId", new { userId = user.Id });
            }
            await request(worker);
        };
        await context.MeasurePairAsync($"chat list random page of {chats}, changed before each (vs OFFSET design)", "reported",
            AfterAChange(Hearth(RandomPages())), AfterAChange(Offset(RandomPages())));
    }
}
