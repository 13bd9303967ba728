using Hearth.Server.Common;

namespace Hearth.Server.Chats;

/// <summary>A row of <c>chats</c>, without its messages; never sent on the wire as is.</summary>
internal sealed class ChatRow
{
    public const string Columns = HeaderColumns + ", doc";

    /// <summary>Every column but the document: what access checks and flag changes need, whatever the chat's size.</summary>
    public const string HeaderColumns =
        "id, user_id, owner_id, title, search_title, has_tree, current_id, meta, folder_id, share_id, archived, pinned, created_at, updated_at, last_read_at";

    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public string Title { get; set; } = MessageTree.DefaultTitle;
    public string SearchTitle { get; set; } = "";
    /// <summary>The document without its messages; null when the row was read without it (<see cref="HeaderColumns"/>).</summary>
    public string? Doc { get; set; }
    public bool HasTree { get; set; }
    public string? CurrentId { get; set; }
    public string Meta { get; set; } = "{}";
    public string? FolderId { get; set; }
    public string? ShareId { get; set; }
    public bool Archived { get; set; }
    public bool? Pinned { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    /// <summary>When the owner last saw the chat (Open WebUI 0.11's read state); unread while null or before <see cref="UpdatedAt"/>.</summary>
    public long? LastReadAt { get; set; }

    /// <summary>SQL: the chat aliased <c>c</c> is unread.</summary>
    public const string UnreadSql = "(c.last_read_at IS NULL OR c.last_read_at < c.updated_at)";

    public const string SharedPrefix = "shared-";
    public static string ShareOwner(string chatId) => SharedPrefix + chatId;

    public bool IsShareSnapshot => UserId.StartsWith(SharedPrefix, StringComparison.Ordinal);

    /// <summary>A share snapshot answers with its own id as <c>share_id</c>, so classic and newer clients both find the link.</summary>
    public ChatResponse ToResponse(ChatContent content) =>
        new(Id, UserId, Title,
            new ChatDocument(Doc ?? throw new InvalidOperationException("The chat was read without its document."), HasTree, CurrentId, content),
            UpdatedAt, CreatedAt,
            IsShareSnapshot ? Id : ShareId, Archived, Pinned, new RawJson(Meta), FolderId, LastReadAt);

    public ChatTitleIdResponse ToTitle() => new(Id, Title, UpdatedAt, CreatedAt, LastReadAt);
}

/// <summary>The columns lists need: never the document or messages.</summary>
internal sealed class ChatTitleRow
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public long UpdatedAt { get; set; }
    public long CreatedAt { get; set; }
    public long? LastReadAt { get; set; }

    /// <summary>The columns a <see cref="ChatTitleRow"/> is read from.</summary>
    public const string Columns = "id, title, updated_at, created_at, last_read_at";

    public ChatTitleIdResponse ToResponse() => new(Id, Title, UpdatedAt, CreatedAt, LastReadAt);
}

internal sealed class MessageKeyRow
{
    public string Id { get; set; } = "";
    public long Seq { get; set; }
    public string BodyHash { get; set; } = "";
    public string? ParentId { get; set; }
    public string? Role { get; set; }
}
