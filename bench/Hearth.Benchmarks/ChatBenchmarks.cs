using Hearth.Server.Chats;

namespace Hearth.Benchmarks;

/// <summary>
/// Chat storage: runs the parts whose names (chats-event-webclient, chats-list, chats-search, chats-export)
/// contain the filter, with one bare app on Hearth's own file serving the same-work SQL, the OFFSET design
/// and the blob design (Open WebUI's, in a file of its own).
/// </summary>
internal static class ChatBenchmarks
{
    public static async Task RunAsync(BenchmarkContext context, Func<string, bool> selected)
    {
        var hearth = context.Hearth;
        var seeder = new ChatSeeder(hearth.Services.GetRequiredService<ChatStore>());
        var hearthDb = BareSqlApp.ConnectionString(Path.Combine(hearth.DataDir, "hearth.db"));
        var blobDb = BareSqlApp.ConnectionString(Path.Combine(hearth.DataDir, "..", "blob.db"));
        await BlobBaseline.CreateAsync(blobDb);
        await using var bare = await BareSqlApp.StartAsync(hearthDb, (api, _) =>
        {
            BareChatRoutes.Map(api, hearthDb);
            BlobBaseline.Map(api, blobDb);
        });
        var address = BareSqlApp.AddressOf(bare);

        if (selected("chats-event-webclient"))
        {
            await ChatEventBenchmarks.RunAsync(context, seeder, address, blobDb);
        }
        if (selected("chats-list"))
        {
            await ChatListBenchmarks.RunAsync(context, seeder, address);
        }
        if (selected("chats-search"))
        {
            await ChatSearchBenchmarks.RunAsync(context, seeder, address, blobDb);
        }
        if (selected("chats-export"))
        {
            await ChatExportBenchmark.RunAsync(context, seeder);
        }
    }
}
