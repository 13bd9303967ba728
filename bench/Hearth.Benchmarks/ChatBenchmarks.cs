using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Chats;
using Hearth.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Hearth.Benchmarks;

/// <summary>Chat storage against the bare baseline (same SQL on the same file) and the blob baseline (Open WebUI's design).</summary>
internal static class ChatBenchmarks
{
    /// <summary>Runs the parts whose names (chats-upsert, chats-list, chats-search, chats-export) contain <paramref name="filter"/>.</summary>
    public static async Task RunAsync(BenchmarkContext context, double scale, string? filter)
    {
        bool Part(string name) => filter is null || name.Contains(filter, StringComparison.OrdinalIgnoreCase);
        var hearth = context.Hearth;
        var seeder = new ChatSeeder(hearth.Services.GetRequiredService<ChatStore>());
        var hearthDb = BareSqlApp.ConnectionString(Path.Combine(hearth.DataDir, "hearth.db"));
        var blobDb = BareSqlApp.ConnectionString(Path.Combine(hearth.DataDir, "..", "blob.db"));
        await BlobBaseline.CreateAsync(blobDb);
        await using var bare = await BareSqlApp.StartAsync(app => { BareChatRoutes.Map(app, hearthDb); BlobBaseline.Map(app, blobDb); });

        if (Part("chats-upsert"))
        {
            await MessageUpsertAsync(context, seeder, bare, blobDb, (int)(100_000 * scale));
        }
        if (Part("chats-list"))
        {
            await ListPageAsync(context, seeder, bare, (int)(100_000 * scale));
        }
        if (Part("chats-search"))
        {
            await SearchAsync(context, seeder, bare, blobDb, (int)(10_000 * scale), 100);
        }
        if (Part("chats-export"))
        {
            await ExportMemoryAsync(context, seeder, (int)(1000 * scale));
        }
    }

    private static async Task<(string Token, string UserId)> UserAsync(BenchmarkContext context, string name)
    {
        var token = await context.Hearth.SignUpAsync(context.Http, name);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(context.Hearth.Address, "/api/v1/auths/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await (await context.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();
        return (token, me!["id"]!.GetValue<string>());
    }

    private static Func<int, Task> Send(BenchmarkContext context, string? token, Func<HttpRequestMessage> build) => async _ =>
    {
        using var request = build();
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await context.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    };

    private static HttpRequestMessage Post(Uri uri, string json) =>
        new(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>The same message write into a 10-message chat and a large one, against the bare and the blob design.</summary>
    private static async Task MessageUpsertAsync(BenchmarkContext context, ChatSeeder seeder, BareSqlApp bare, string blobDb, int largeSize)
    {
        Console.WriteLine($"Seeding chats of 10 and {largeSize} messages...");
        var (token, userId) = await UserAsync(context, "upsert-bench");
        var small = (await seeder.SeedAsync(userId, 1, 10))[0];
        var large = (await seeder.SeedAsync(userId, 1, largeSize))[0];
        await BlobBaseline.InsertAsync(blobDb, large, userId, seeder.Chat("Blob", largeSize));
        var counter = 0;
        string Body() => $$$"""{"type":"replace","data":{"content":"edit {{{Interlocked.Increment(ref counter)}}}"}}""";
        Func<int, Task> HearthWrite(string chat) => Send(context, token, () =>
            Post(new Uri(context.Hearth.Address, $"/api/v1/chats/{chat}/messages/m5/event"), Body()));
        Func<int, Task> BareWrite(string chat) => Send(context, null, () =>
            Post(new Uri(bare.Address, $"/bare/chats/{chat}/messages/m5"), Body()));

        var one = context with { Options = context.Options with { Concurrency = 1 } };
        var smallRuns = await one.MeasurePairAsync("message upsert, 10-message chat (vs bare SQL)", "-", HearthWrite(small), BareWrite(small));
        var largeRuns = await one.MeasurePairAsync($"message upsert, {largeSize}-message chat (vs bare SQL)", "within 1.5x of 10",
            HearthWrite(large), BareWrite(large));
        var blob = await LoadDriver.RunAsync(Send(context, null, () => Post(new Uri(bare.Address, $"/blob/chats/{large}/messages/m5"), Body())),
            1, TimeSpan.FromSeconds(Math.Max(context.Options.Seconds, 5)));
        context.Report.Note($"message upsert: {largeSize}-message chat takes {largeRuns.Hearth.P50Ms / smallRuns.Hearth.P50Ms:F2}x the 10-message time " +
            $"(p50 {largeRuns.Hearth.P50Ms:F2} ms vs {smallRuns.Hearth.P50Ms:F2} ms; target <= 1.5x)");
        context.Report.Note($"message upsert at {largeSize} messages: Hearth {largeRuns.Hearth.RequestsPerSecond:F0}/s, blob design {blob.RequestsPerSecond:F2}/s " +
            $"(p50 {blob.P50Ms:F0} ms): {largeRuns.Hearth.RequestsPerSecond / blob.RequestsPerSecond:F0}x faster (target >= 100x)");
    }

    private static async Task ListPageAsync(BenchmarkContext context, ChatSeeder seeder, BareSqlApp bare, int chats)
    {
        Console.WriteLine($"Seeding {chats} chats for the list...");
        var (token, userId) = await UserAsync(context, "list-bench");
        await seeder.SeedAsync(userId, chats, 2);
        var pages = Math.Max(chats / 60, 1);
        var random = new Random(7);
        // A latency target: measured one request at a time, so queueing behind other clients does not count.
        context = context with { Options = context.Options with { Concurrency = 1 } };
        await context.MeasurePairAsync($"chat list page 1 of {chats} chats (vs bare SQL)", "p99 < 10 ms",
            Send(context, token, () => new HttpRequestMessage(HttpMethod.Get, new Uri(context.Hearth.Address, "/api/v1/chats/?page=1"))),
            Send(context, null, () => new HttpRequestMessage(HttpMethod.Get, new Uri(bare.Address, $"/bare/users/{userId}/chats?page=1"))));
        var randomPage = Send(context, token, () => new HttpRequestMessage(HttpMethod.Get, new Uri(context.Hearth.Address, $"/api/v1/chats/?page={random.Next(1, pages + 1)}")));
        var bareRandomPage = Send(context, null, () => new HttpRequestMessage(HttpMethod.Get, new Uri(bare.Address, $"/bare/users/{userId}/chats?page={random.Next(1, pages + 1)}")));
        await context.MeasurePairAsync($"chat list random page of {chats} chats (vs bare SQL)", "p99 < 10 ms", randomPage, bareRandomPage);
        // The worst case: the list changed before every request, so no page start Hearth remembered may be used
        // and each page is found by walking the index, as the bare baseline always does.
        var database = context.Hearth.Services.GetRequiredService<Database>();
        await context.MeasurePairAsync($"chat list random page of {chats} chats, list changed before each (vs bare SQL)", "reported",
            async i =>
            {
                await using (var connection = await database.OpenAsync(default))
                {
                    await connection.ExecuteAsync("UPDATE chat_list_versions SET version = version + 1 WHERE user_id = @userId", new { userId });
                }
                await randomPage(i);
            },
            bareRandomPage);
    }

    private static async Task SearchAsync(BenchmarkContext context, ChatSeeder seeder, BareSqlApp bare, string blobDb, int chats, int perChat)
    {
        Console.WriteLine($"Seeding {chats} chats x {perChat} messages for search (and the same as JSON blobs)...");
        var (token, userId) = await UserAsync(context, "search-bench");
        var blobSeeder = new ChatSeeder(context.Hearth.Services.GetRequiredService<ChatStore>());
        await seeder.SeedAsync(userId, chats, perChat, titlePrefix: "Search");
        for (var i = 0; i < chats; i++)
        {
            await BlobBaseline.InsertAsync(blobDb, Guid.NewGuid().ToString(), userId, blobSeeder.Chat($"Search {i}", perChat));
        }
        // Words of middling frequency: each is in roughly one message in a few thousand.
        var words = ChatSeeder.Vocabulary[4000..6000];
        var random = new Random(11);
        string Needle() => Uri.EscapeDataString(words[random.Next(words.Length)]);
        context = context with { Options = context.Options with { Concurrency = 1 } };
        await context.MeasurePairAsync($"search over {chats * perChat} messages (vs bare SQL)", "p95 < 100 ms",
            Send(context, token, () => new HttpRequestMessage(HttpMethod.Get, new Uri(context.Hearth.Address, $"/api/v1/chats/search?text={Needle()}"))),
            Send(context, null, () => new HttpRequestMessage(HttpMethod.Get, new Uri(bare.Address, $"/bare/users/{userId}/search?needle={Needle()}"))));
        var blob = await LoadDriver.RunAsync(Send(context, null, () =>
            new HttpRequestMessage(HttpMethod.Get, new Uri(bare.Address, $"/blob/users/{userId}/search?needle={Needle()}"))), 1, TimeSpan.FromSeconds(5));
        context.Report.Note($"search over {chats * perChat} messages, blob design (JSON scan): p50 {blob.P50Ms:F0} ms, {blob.RequestsPerSecond:F2}/s");
    }

    /// <summary>Exports about 1 GB (at scale 1) with the <c>export</c> command in its own process and reads its peak resident memory.</summary>
    private static async Task ExportMemoryAsync(BenchmarkContext context, ChatSeeder seeder, int chats)
    {
        const int messages = 100;
        const int padding = 10_000;
        Console.WriteLine($"Seeding {chats} chats of about {messages * padding / 1_000_000.0:F1} MB for the export...");
        var (_, userId) = await UserAsync(context, "export-bench");
        await seeder.SeedAsync(userId, chats, messages, padding);
        var output = Path.Combine(context.Hearth.DataDir, "..", "export.json");
        var server = ServerDll();
        var start = new ProcessStartInfo("dotnet", [server, "export", "--user", "export-bench@example.com", "--output", output])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DATA_DIR"] = context.Hearth.DataDir;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        long peakKb = 0;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ReadPeakKb(process.Id));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        var size = new FileInfo(output).Length;
        context.Report.Note($"export of {size / 1_048_576.0:F0} MB ({chats} chats) in {clock.Elapsed.TotalSeconds:F1} s: peak resident memory {peakKb / 1024.0:F0} MB " +
            $"(target < 200 MB; exit code {process.ExitCode})");
        File.Delete(output);
    }

    private static long ReadPeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string ServerDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hearth.slnx")))
        {
            directory = directory.Parent;
        }
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(directory!.FullName, "src", "Hearth.Server", "bin", configuration, "net10.0", "Hearth.Server.dll");
    }
}
