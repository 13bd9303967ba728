namespace Hearth.Server.Backups;

/// <summary>One table a backup carries, and the columns that are booleans (integers on SQLite, so named here).</summary>
internal sealed record BackupTable(string Name, params string[] Booleans);

/// <summary>
/// Every Hearth table, in the order rows are restored (a table after those its foreign keys point to), and the
/// tables left out with the reason. A migration that adds a table adds it to one list or the other: a test
/// compares both lists with the database's tables.
/// </summary>
internal static class BackupTables
{
    public static readonly IReadOnlyList<BackupTable> All =
    [
        new("users", "is_first_user"),
        new("auth_sessions"),
        new("api_keys"),
        new("server_settings"),
        new("user_details"),
        new("user_groups"),
        new("group_members"),
        new("access_grants"),
        new("workspace_models", "is_active"),
        new("folders", "is_expanded"),
        new("chats", "has_tree", "archived", "pinned"),
        new("chat_messages"),
        new("chat_flat_messages"),
        new("tags"),
        new("chat_tags"),
        new("chat_list_versions"),
        new("artifacts"),
        new("artifact_usage"),
        // Last: its files are copied beside its rows.
        new("artifact_files"),
    ];

    /// <summary>Tables a backup leaves out: derived from the rows above, or passing (events between processes).</summary>
    public static readonly IReadOnlyDictionary<string, string> Skipped = new Dictionary<string, string>
    {
        ["schema_migrations"] = "the manifest's schema version; restore applies the migrations itself",
        ["artifact_file_usage"] = "counted by triggers as artifact_files rows are inserted",
        ["relayed_events"] = "events on their way between processes, of no use after them",
        [Storage.DeferredIndexes.Table] = "search indexes a migrate-db copy left for Hearth to build; a restore builds every index itself",
        [MoveProgressStore.Table] = "an unfinished migrate-db run's marks in its target, dropped when the run completes",
    };

    public static BackupTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
