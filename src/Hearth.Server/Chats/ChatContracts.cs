using System.Text.Json.Nodes;
using Hearth.Server.Common;

namespace Hearth.Server.Chats;

/// <summary><c>ChatForm</c>: the document is kept as a JsonObject so unknown keys and key order survive.</summary>
internal sealed record ChatForm(JsonObject Chat, string? FolderId = null);

internal sealed record ChatImportForm(JsonObject Chat, string? FolderId = null, JsonObject? Meta = null, bool? Pinned = false,
    long? CreatedAt = null, long? UpdatedAt = null);

internal sealed record ChatsImportForm(IReadOnlyList<ChatImportForm> Chats);

internal sealed record CloneForm(string? Title = null);

internal sealed record ChatFolderIdForm(string? FolderId = null);

internal sealed record TagForm(string Name);

internal sealed record TagFilterForm(string Name, int Skip = 0, int Limit = 50);

internal sealed record MessageForm(string Content);

internal sealed record EventForm(string Type, JsonObject Data);

internal sealed record ChatResponse(string Id, string UserId, string Title, ChatDocument Chat, long UpdatedAt, long CreatedAt,
    string? ShareId, bool Archived, bool? Pinned, RawJson Meta, string? FolderId, long? LastReadAt);

internal sealed record ChatTitleIdResponse(string Id, string Title, long UpdatedAt, long CreatedAt, long? LastReadAt);

/// <summary>A title and the messages of a branch, turned into a readable transcript (upstream uses it for PDFs).</summary>
internal sealed record ChatTitleMessagesForm(string Title, IReadOnlyList<JsonObject> Messages);

internal sealed record ChatTitleForm(string Title);

/// <summary>A page of whole chats with the total, for clients that sync everything.</summary>
internal sealed record ChatListResponse(IReadOnlyList<ChatResponse> Items, long Total);

internal sealed record TagModel(string Id, string Name, string UserId, RawJson? Meta);
