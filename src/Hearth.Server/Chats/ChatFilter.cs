namespace Hearth.Server.Chats;

/// <summary>Which of one user's chats a list or search selects. Null means "do not filter on this".</summary>
internal sealed record ChatFilter(string UserId)
{
    public bool? Archived { get; init; }
    /// <summary>True: pinned only. False: not pinned (false or null).</summary>
    public bool? Pinned { get; init; }
    /// <summary>True: only chats outside any folder.</summary>
    public bool OutsideFolders { get; init; }
    public IReadOnlyCollection<string>? FolderIds { get; init; }
    /// <summary>Case-insensitive substring of the title (the <c>query</c> of the archived and admin lists).</summary>
    public string? TitleContains { get; init; }
    public bool? Shared { get; init; }
    /// <summary>Every one of these tags (AND).</summary>
    public IReadOnlyCollection<string>? Tags { get; init; }
    public bool WithoutTags { get; init; }
    /// <summary>Search words (lower-cased): each is in the title or in some message (or, for a chat without a message tree, its flat list).</summary>
    public IReadOnlyList<string>? Words { get; init; }
    public long? UpdatedAfter { get; init; }
}

/// <summary>An ORDER BY chosen from a fixed set of columns, so no request text reaches SQL.</summary>
internal sealed record ChatOrder(string Column, bool Descending)
{
    public static readonly ChatOrder Recent = new("updated_at", true);
    public static readonly ChatOrder Oldest = new("updated_at", false);
    private static readonly string[] Columns = ["title", "updated_at", "created_at", "id", "archived", "pinned", "folder_id", "share_id", "user_id"];

    /// <returns>The order, or null when the column or direction is not one Hearth knows.</returns>
    public static ChatOrder? Parse(string? orderBy, string? direction)
    {
        if (orderBy is null && direction is null)
        {
            return Recent;
        }
        var column = orderBy ?? "updated_at";
        var dir = (direction ?? "desc").ToLowerInvariant();
        return Columns.Contains(column) && dir is "asc" or "desc" ? new ChatOrder(column, dir == "desc") : null;
    }

    /// <summary>Open WebUI 0.11's folder list orders: unread first then by time (its default), or a column.</summary>
    public static ChatOrder? ParseFolderSort(string? sortBy, string? sortDir)
    {
        var column = sortBy ?? UnreadFirst;
        var dir = (sortDir ?? "desc").ToLowerInvariant();
        return column is UnreadFirst or "updated_at" or "created_at" or "title" && dir is "asc" or "desc"
            ? new ChatOrder(column, dir == "desc")
            : null;
    }

    private const string UnreadFirst = "unread_updated_at";

    public string Sql => Column == UnreadFirst
        ? $"CASE WHEN {ChatRow.UnreadSql} THEN 0 ELSE 1 END, updated_at {(Descending ? "DESC" : "ASC")}, id"
        : $"{Column} {(Descending ? "DESC" : "ASC")}, id";

    /// <summary>
    /// The rows from (<paramref name="inclusive"/>) or after the row whose values are the parameters
    /// <paramref name="updated"/> and <paramref name="id"/>, in this order (one of the updated_at orders): a range on
    /// updated_at that the list indexes seek, then the id for ties. Appended to a WHERE on chats aliased c.
    /// </summary>
    public string From(string updated, string id, bool inclusive) =>
        $" AND c.updated_at {(Descending ? "<=" : ">=")} {updated}" +
        $" AND (c.updated_at {(Descending ? "<" : ">")} {updated} OR c.id {(inclusive ? ">=" : ">")} {id})";
}
