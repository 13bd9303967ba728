using System.Diagnostics;

namespace Hearth.Benchmarks;

/// <summary>chats-export: about 1 GB (at scale 1) exported by the <c>export</c> command in its own process, and its peak resident memory.</summary>
internal static class ChatExportBenchmark
{
    public static async Task RunAsync(BenchmarkContext context, ChatSeeder seeder)
    {
        const int messages = 100;
        // Each message's document is in the chat twice (history and the web client's flat list): 1 MB a chat.
        const int padding = 5_000;
        var chats = (int)(1000 * context.Options.Scale);
        Console.WriteLine($"Seeding {chats} chats of about {2 * messages * padding / 1_000_000.0:F1} MB for the export...");
        var user = await context.Hearth.CreateUserAsync(context.Http, "export-bench");
        await seeder.SeedAsync(user.Id, chats, messages, padding);
        var output = Path.Combine(context.Hearth.DataDir, "..", "export.json");
        var start = new ProcessStartInfo("dotnet", [HearthProcess.ServerDll(), "export", "--user", "export-bench@example.com", "--output", output])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DATA_DIR"] = context.Hearth.DataDir;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var log = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        long peakKb = 0;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ProcessMemory.PeakKb(process.Id));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new BenchmarkFailure($"The export command exited with {process.ExitCode}: {string.Concat(await log)}");
        }
        var size = new FileInfo(output).Length;
        context.Report.Note($"export of {size / 1_048_576.0:F0} MB ({chats} chats) in {clock.Elapsed.TotalSeconds:F1} s: peak resident memory {peakKb / 1024.0:F0} MB " +
                            Report.AtMost(peakKb / 1024.0, 200, " MB"));
        File.Delete(output);
    }
}
