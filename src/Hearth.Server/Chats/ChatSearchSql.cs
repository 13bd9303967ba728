using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>
/// Substring matching answered from an index: SQLite's trigram FTS5 tables (a quoted phrase of three or more
/// characters is a substring match), PostgreSQL's pg_trgm GIN indexes under LIKE. Needles shorter than a
/// trigram cannot use either index and fall back to scanning the caller's own chats.
/// Texts are lower-cased by Hearth before they are stored or searched, so matching is case-insensitive.
/// </summary>
internal static class ChatSearchSql
{
    private const int TrigramLength = 3;

    public static string TitleMatches(DatabaseProvider provider, string needle) => provider switch
    {
        DatabaseProvider.Postgres => "c.search_title LIKE @pattern",
        _ when needle.Length >= TrigramLength =>
            "c.rowid IN (SELECT rowid FROM chat_title_fts WHERE chat_title_fts MATCH @phrase)",
        _ => "instr(c.search_title, @needle) > 0",
    };

    public static string MessageMatches(DatabaseProvider provider, string needle) => provider switch
    {
        DatabaseProvider.Postgres => "SELECT m.chat_id FROM chat_messages m WHERE m.search_text LIKE @pattern",
        _ when needle.Length >= TrigramLength =>
            "SELECT m.chat_id FROM chat_message_fts f JOIN chat_messages m ON m.rowid = f.rowid WHERE chat_message_fts MATCH @phrase",
        _ => "SELECT m.chat_id FROM chat_messages m JOIN chats o ON o.id = m.chat_id WHERE o.user_id = @userId AND instr(m.search_text, @needle) > 0",
    };

    /// <summary>An FTS5 phrase: the needle in double quotes, inner quotes doubled.</summary>
    public static string Phrase(string needle) => "\"" + needle.Replace("\"", "\"\"") + "\"";

    /// <summary>A LIKE pattern for the needle anywhere, with LIKE's own wildcards escaped.</summary>
    public static string LikePattern(string needle) =>
        "%" + needle.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
