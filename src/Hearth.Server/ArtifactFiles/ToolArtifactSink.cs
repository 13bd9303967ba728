using System.Text.Json.Nodes;
using Hearth.Server.Chats;
using Hearth.Server.Completions.Tools;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// Files made by tools become artifacts of the chat they ran for, attached to the assistant message (which
/// lists them in its <c>files</c>), so they show inline in the conversation and in the gallery.
/// </summary>
internal sealed class ToolArtifactSink(ArtifactFileKeeper files, ChatStore chats) : IArtifactSink
{
    public async Task<JsonObject> StoreAsync(string userId, string chatId, string? messageId, ToolFile file, CancellationToken cancellationToken)
    {
        if (await chats.GetAsync(chatId, cancellationToken) is not { } chat)
        {
            return Unstored(file, "the chat no longer exists");
        }
        var result = await files.StoreAsync(chat, messageId, file.Name, null, new MemoryStream(file.Content), cancellationToken);
        if (result.UnknownMessage)
        {
            // A direct tool run may name a message that does not exist (yet): the file still belongs to the chat.
            result = await files.StoreAsync(chat, null, file.Name, null, new MemoryStream(file.Content), cancellationToken);
        }
        return result.Row is { } row ? ArtifactFileKeeper.Reference(row)
            : Unstored(file, result.TooLarge ?? (result.ChatGone ? "the chat no longer exists" : "it could not be stored"));
    }

    private static JsonObject Unstored(ToolFile file, string reason) =>
        new() { ["type"] = "file", ["name"] = file.Name, ["size"] = file.Content.Length, ["error"] = $"Not saved: {reason}" };
}
