namespace Hearth.Server.ArtifactFiles;

/// <summary>A row of <c>artifact_files</c> (with its conversation's title when read for a list); never sent on the wire as is.</summary>
/// <remarks>Public only because the pages' Razor slices, whose generated proxies are public, take it in their models.</remarks>
public sealed class ArtifactFileRow
{
    public const string Columns =
        "a.id, a.chat_id, a.user_id, a.message_id, a.name, a.search_name, a.mime_type, a.kind, a.size, a.sha256, a.storage_key, a.created_at";

    public string Id { get; set; } = "";
    public string ChatId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? MessageId { get; set; }
    public string Name { get; set; } = "";
    public string SearchName { get; set; } = "";
    public string MimeType { get; set; } = "";
    public string Kind { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string StorageKey { get; set; } = "";
    public long CreatedAt { get; set; }
    public string? ChatTitle { get; set; }

    public DateTimeOffset Created => DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt);
}

/// <summary>A gallery query: the caller's artifacts, optionally of one kind, one conversation, or with a name containing <see cref="Search"/>.</summary>
internal sealed record GalleryQuery(string UserId, string? Kind, string? Search, string? ConversationId, int Page, int Size);

/// <summary>What an insert found: stored, which limit it would have passed, or its chat (or the chat's owner) deleted meanwhile.</summary>
internal enum InsertOutcome
{
    Stored,
    ConversationFull,
    UserFull,
    ChatGone,
}
