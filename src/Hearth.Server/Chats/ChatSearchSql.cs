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

    /// <summary>
    /// Search word number <paramref name="i"/> (parameters <c>@needleI</c>, <c>@phraseI</c>, <c>@patternI</c>) is in the
    /// title, in some message, or, for a chat without a message tree (a legacy flat <c>messages</c> list), in its
    /// document or flat items. Those few chats have no indexed text, so their JSON is scanned, the caller's only.
    /// </summary>
    public static string Matches(DatabaseProvider provider, string word, int i) =>
        $"{TitleMatches(provider, word, i)} OR c.id IN ({MessageMatches(provider, word, i)}) OR {LegacyMatches(provider, i)}";

    private static string TitleMatches(DatabaseProvider provider, string needle, int i) => provider switch
    {
        DatabaseProvider.Postgres => $"c.search_title LIKE @pattern{i}",
        _ when needle.Length >= TrigramLength =>
            $"c.rowid IN (SELECT rowid FROM chat_title_fts WHERE chat_title_fts MATCH @phrase{i})",
        _ => $"instr(c.search_title, @needle{i}) > 0",
    };

    private static string MessageMatches(DatabaseProvider provider, string needle, int i) => provider switch
    {
        DatabaseProvider.Postgres => $"SELECT m.chat_id FROM chat_messages m WHERE m.search_text LIKE @pattern{i}",
        _ when needle.Length >= TrigramLength =>
            $"SELECT m.chat_id FROM chat_message_fts f JOIN chat_messages m ON m.rowid = f.rowid WHERE chat_message_fts MATCH @phrase{i}",
        _ => $"SELECT m.chat_id FROM chat_messages m JOIN chats o ON o.id = m.chat_id WHERE o.user_id = @userId AND instr(m.search_text, @needle{i}) > 0",
    };

    private static string LegacyMatches(DatabaseProvider provider, int i)
    {
        var find = provider == DatabaseProvider.Postgres ? "strpos" : "instr";
        return $"""
            (NOT c.has_tree AND ({find}(lower(c.doc), @needle{i}) > 0 OR EXISTS (SELECT 1 FROM chat_flat_messages lf
                WHERE lf.chat_id = c.id AND lf.body IS NOT NULL AND {find}(lower(lf.body), @needle{i}) > 0)))
            """;
    }

    /// <summary>An FTS5 phrase: the needle in double quotes, inner quotes doubled.</summary>
    public static string Phrase(string needle) => "\"" + needle.Replace("\"", "\"\"") + "\"";

    /// <summary>A LIKE pattern for the needle anywhere, with LIKE's own wildcards escaped.</summary>
    public static string LikePattern(string needle) =>
        "%" + needle.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
