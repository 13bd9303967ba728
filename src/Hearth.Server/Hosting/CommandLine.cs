using Hearth.Server.Common;

namespace Hearth.Server.Hosting;

/// <summary>
/// What the command line asks before anything starts: <c>--help</c>/<c>-h</c>, <c>--version</c>, and a word that
/// is no command (<c>improt</c>), which prints the usage and exits 2 instead of starting a server. Settings given as
/// arguments (<c>--PORT=9000</c>, <c>--urls http://...</c>, <c>PORT=9000</c>) are not commands.
/// </summary>
internal static class CommandLine
{
    public const int UsageError = 2;

    private static readonly (string Name, string Text)[] Commands =
    [
        ("import", "Import chats from an Open WebUI, ChatGPT or Claude.ai export: import --user EMAIL FILE [--stop-on-error]"),
        ("export", "Export a user's chats in Open WebUI's format or as Markdown: export --user EMAIL --output FILE [--format json|markdown]"),
        ("rebuild-artifacts", "Recreate the artifact rows from the files in storage."),
        ("backup", "Back up everything Hearth keeps into one archive, while it serves: backup --output FILE"),
        ("verify", "Check a backup archive without restoring it: verify FILE"),
        ("restore", "Restore a backup into an empty database and file storage: restore FILE [--force]"),
        ("migrate-db", "Copy this Hearth's database into PostgreSQL, resumably: migrate-db --to postgresql://user:password@host:5432/database [--force]"),
    ];

    private static readonly (string Group, string Names)[] SettingGroups =
    [
        ("Server", "PORT, HOST, DATA_DIR, MAX_REQUEST_BODY_SIZE, GLOBAL_LOG_LEVEL (ASPNETCORE_URLS or --urls replace HOST and PORT)"),
        ("Web access", "CORS_ALLOW_ORIGIN, FORWARDED_ALLOW_IPS, WEBUI_URL"),
        ("Database", "DATABASE_URL (SQLite in DATA_DIR when unset, or postgresql://user:password@host:5432/database)"),
        ("Accounts", "WEBUI_AUTH, WEBUI_SECRET_KEY, ENABLE_SIGNUP, DEFAULT_USER_ROLE, ENABLE_API_KEY, JWT_EXPIRES_IN, " +
            "ENABLE_COMMUNITY_SHARING, ENABLE_ADMIN_CHAT_ACCESS, ENABLE_ADMIN_EXPORT, PROFILE_IMAGE_MAX_DATA_URI_SIZE, USER_PERMISSIONS_*"),
        ("Model servers", "OPENAI_API_BASE_URLS, OPENAI_API_KEYS, OLLAMA_BASE_URLS, AIOHTTP_CLIENT_TIMEOUT, " +
            "AIOHTTP_CLIENT_TIMEOUT_MODEL_LIST, MODEL_CONNECT_TIMEOUT"),
        ("Tools", "TOOL_MAX_ROUNDS, PYTHON_EXEC_* (TIMEOUT, MEMORY_MB, OUTPUT_BYTES, PATH, MAX_PROCESSES, DISK_MB), " +
            "TEMPLATE_RENDER_* (TIMEOUT, MAX_OUTPUT_BYTES, MAX_BLOCKS)"),
        ("Artifact files", "STORAGE_PROVIDER, S3_ENDPOINT_URL, S3_BUCKET_NAME, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION_NAME, " +
            "ARTIFACT_MAX_FILE_SIZE, ARTIFACT_MAX_CONVERSATION_SIZE, ARTIFACT_MAX_USER_SIZE"),
        ("Artifact storage", "ARTIFACT_MAX_VALUE_BYTES, ARTIFACT_MAX_USER_BYTES, ARTIFACT_MAX_SHARED_BYTES, " +
            "ARTIFACT_MAX_BATCH_OPERATIONS, ARTIFACT_MAX_PATCH_OPERATIONS, ARTIFACT_WATCH_HEARTBEAT_SECONDS"),
        ("Backups", "BACKUP_INTERVAL (e.g. 6h; unset: none), BACKUP_DIR (default DATA_DIR/backups), BACKUP_KEEP (the newest N kept)"),
    ];

    /// <returns>The exit status when the arguments were answered here; null when Hearth should go on (serve or run a command).</returns>
    public static int? Answer(string[] args, TextWriter output, TextWriter errors)
    {
        var first = args.FirstOrDefault();
        if (first is null)
        {
            return null;
        }
        if (IsHelp(first) || (!IsCommandWord(first) && args.Any(IsHelp)))
        {
            output.Write(Usage());
            return 0;
        }
        if (!IsCommandWord(first))
        {
            if (args.Any(a => a is "--version" or "-V"))
            {
                output.WriteLine($"Hearth {CommonSetup.Version}");
                return 0;
            }
            return null;
        }
        if (Commands.FirstOrDefault(c => c.Name == first) is not { Name: not null } command)
        {
            var nearest = Commands.MinBy(c => Distance(c.Name, first)).Name;
            errors.WriteLine($"Hearth has no command '{first}'{(Distance(nearest, first) <= 2 ? $" (did you mean {nearest}?)" : "")}.");
            errors.WriteLine();
            errors.Write(Usage());
            return UsageError;
        }
        // import and export describe themselves (System.CommandLine); this one takes no arguments.
        if (command.Name == "rebuild-artifacts" && args.Skip(1).Any(IsHelp))
        {
            output.WriteLine($"Usage: Hearth.Server rebuild-artifacts\n\n{command.Text}");
            return 0;
        }
        return null;
    }

    public static string Usage()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Hearth {CommonSetup.Version}: chats, artifacts and model connections for AI chat applications (Open WebUI-compatible).");
        text.AppendLine();
        text.AppendLine("Usage: Hearth.Server [command] [--SETTING=value ...]");
        text.AppendLine();
        text.AppendLine("Commands:");
        text.AppendLine($"  {"(none)",-19} Serve on http://HOST:PORT (http://localhost:8080/ unless set).");
        foreach (var (name, description) in Commands)
        {
            text.AppendLine($"  {name,-19} {description}");
        }
        text.AppendLine($"  {"--help, -h",-19} This text; COMMAND --help describes a command.");
        text.AppendLine($"  {"--version",-19} Hearth's version.");
        text.AppendLine();
        text.AppendLine("Settings: environment variables (or --NAME=value; secrets belong in the environment). README.md, \"Settings\", explains each.");
        foreach (var (group, names) in SettingGroups)
        {
            text.AppendLine($"  {group,-19} {names}");
        }
        return text.ToString();
    }

    private static bool IsHelp(string argument) => argument is "--help" or "-h" or "-?" or "help";

    /// <summary>A bare word: not an option (<c>-x</c>, <c>/x</c>) and not a setting (<c>NAME=value</c>).</summary>
    private static bool IsCommandWord(string argument) =>
        argument.Length > 0 && argument[0] is not ('-' or '/') && !argument.Contains('=');

    /// <summary>Edit distance, for suggesting the command a typo meant.</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
