using System.CommandLine;
using Hearth.Server.Auth;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats.Transfer;

/// <summary>
/// <c>import</c> and <c>export</c> on the command line, for people moving in and out. They use the same
/// configuration (DATA_DIR, DATABASE_URL) as the server and bring the schema up to date first.
/// </summary>
internal static class TransferCommands
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "import" or "export";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var user = new Option<string>("--user") { Description = "E-mail of the Hearth user who owns the chats", Required = true };
        var stopOnError = new Option<bool>("--stop-on-error") { Description = "Stop at the first malformed entry instead of skipping it" };
        var input = new Argument<FileInfo>("file") { Description = "Open WebUI export (.json), ChatGPT or Claude.ai conversations.json, or their export .zip" };
        var output = new Option<FileInfo>("--output") { Description = "File to write", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "json: Open WebUI's format, to import elsewhere; markdown: a .zip of one Markdown file per chat with its files beside it, to read",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("json", "markdown");

        var import = new Command("import", "Import chats from an Open WebUI, ChatGPT or Claude.ai export") { user, stopOnError, input };
        import.SetAction((result, ct) => Import(app, result.GetValue(user)!, result.GetValue(input)!, result.GetValue(stopOnError), ct));
        var export = new Command("export", "Export a user's chats in Open WebUI's format or as Markdown") { user, output, format };
        export.SetAction((result, ct) => Export(app, result.GetValue(user)!, result.GetValue(output)!, result.GetValue(format) == "markdown", ct));
        return await new RootCommand("Hearth chat import and export") { import, export }.Parse(args).InvokeAsync();
    }

    private static async Task<int> Import(WebApplication app, string email, FileInfo file, bool stopOnError, CancellationToken cancellationToken)
    {
        if (await Prepare(app, email, cancellationToken) is not { } userId)
        {
            return 2;
        }
        if (!file.Exists)
        {
            Console.Error.WriteLine($"No such file: {file.FullName}");
            return 2;
        }
        var importer = app.Services.GetRequiredService<ChatImporter>();
        var progress = new Hosting.ConsoleProgress<ImportProgress>(p => Console.Error.Write(
            $"\r  {Bar(p.BytesRead, p.BytesTotal)} {p.BytesRead / 1048576.0:F1}/{p.BytesTotal / 1048576.0:F1} MB, {p.Imported} imported, {p.Skipped} skipped"));
        var summary = await importer.ImportFileAsync(file.FullName, userId, stopOnError, progress, cancellationToken);
        Console.Error.WriteLine();
        foreach (var problem in summary.Problems)
        {
            Console.Error.WriteLine($"  {problem}");
        }
        if (summary.MissingFiles > 0)
        {
            Console.Error.WriteLine($"  {summary.MissingFiles} files the conversations name are not in the export (import the export's .zip to keep them).");
        }
        Console.WriteLine($"Imported {summary.Imported} chats for {email}; skipped {summary.Skipped}{(summary.Stopped ? "; stopped early" : "")}.");
        return summary.Stopped || summary.Skipped > 0 ? 1 : 0;
    }

    private static async Task<int> Export(WebApplication app, string email, FileInfo file, bool markdown, CancellationToken cancellationToken)
    {
        if (await Prepare(app, email, cancellationToken) is not { } userId)
        {
            return 2;
        }
        var temporary = file.FullName + ".partial";
        await using (var stream = File.Create(temporary))
        {
            var progress = new Hosting.ConsoleProgress<int>(n => Console.Error.Write($"\r  {n} chats written"));
            var count = markdown
                ? await app.Services.GetRequiredService<MarkdownExporter>().ExportAsync(userId, stream, progress, cancellationToken)
                : await app.Services.GetRequiredService<ChatExporter>().ExportAsync(userId, stream, progress, cancellationToken);
            Console.Error.WriteLine();
            Console.WriteLine($"Exported {count} chats of {email} to {file.FullName}.");
        }
        File.Move(temporary, file.FullName, overwrite: true);
        return 0;
    }

    private static async Task<string?> Prepare(WebApplication app, string email, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(cancellationToken);
        var user = await app.Services.GetRequiredService<UserStore>().GetByEmailAsync(SessionIssuer.NormaliseEmail(email), cancellationToken);
        if (user is null)
        {
            Console.Error.WriteLine($"No Hearth user has the e-mail {email}. Sign up or have an admin add the user first.");
        }
        return user?.Id;
    }

    private static string Bar(long done, long total)
    {
        const int width = 24;
        var filled = total <= 0 ? 0 : (int)Math.Min(width, done * width / total);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
