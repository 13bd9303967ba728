using System.Text.Json.Nodes;

namespace Hearth.Server.Chats.Transfer;

/// <summary>An import entry turned into Hearth's terms: the chat document, the row's own fields, and the files its messages had.</summary>
internal sealed record ImportedChat(JsonObject Chat, long? CreatedAt, long? UpdatedAt, bool Archived, bool Pinned, JsonObject Meta)
{
    public IReadOnlyList<ImportedFile> Files { get; init; } = [];
}

/// <summary>
/// A file a message of the export had, to become an artifact file attached to that message. Its bytes are either
/// in the export (<see cref="ExportName"/>: an asset id or a file name the archive is searched for) or carried
/// in the export's JSON (<see cref="Content"/>). <see cref="Link"/> is text in the message that pointed at the
/// file and is replaced by the artifact's address.
/// </summary>
internal sealed record ImportedFile(string MessageId, string Name, string? ExportName = null, byte[]? Content = null, string? Link = null);
