using System.Security.Cryptography;
using System.Text;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// The key space an HTML artifact's <c>window.storage</c> lives in: <c>artifact:{32 hex}/</c>, a hash of the
/// conversation's id and the file's name. A file written again under the same name in the same conversation
/// (a new version of the app) keeps its data; the same name in another conversation, or another name, starts
/// empty. The page showing the artifact adds the prefix to every key and strips it from every key handed
/// back, so the artifact can neither see nor choose another space. 128 bits of SHA-256: an artifact's author
/// picks the name, and must not find one whose space is another artifact's.
/// </summary>
internal static class ArtifactFileKeySpace
{
    public const string Start = "artifact:";

    public static string For(string conversationId, string fileName)
    {
        // Conversation ids have no '\n', so the pair cannot be read two ways.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(conversationId + "\n" + fileName));
        return Start + Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "/";
    }

    public static string For(ArtifactFileRow row) => For(row.ChatId, row.Name);

    /// <summary>
    /// The one space of every HTML block in a conversation's replies (the chat app's artifacts panel): a later reply
    /// rewriting the app keeps what the earlier version stored. No file's name holds a <c>/</c>, so no file shares it.
    /// </summary>
    public static string ForReplies(string conversationId) => For(conversationId, "/replies");
}
