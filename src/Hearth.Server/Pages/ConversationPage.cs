using System.Text.Json.Nodes;
using Hearth.Server.ArtifactFiles;
using Hearth.Server.Auth;
using Hearth.Server.Chats;

namespace Hearth.Server.Pages;

/// <summary>
/// <c>/c/{conversation_id}</c>: the current branch of a conversation, each message with its artifacts as attachments.
/// <c>/s/{share_id}</c> is the same read-only page for a share link: whom the share's grants reach opens it, and while
/// <c>ENABLE_PUBLIC_SHARES</c> is on so does a visitor who is not signed in (the files' links then open the same way).
/// </summary>
internal static class ConversationPage
{
    public static Task<IResult> Show(string conversationId, HttpContext http, ArtifactFileAccess access, ChatStore chats,
        ArtifactFileStore store, CancellationToken cancellationToken) =>
        ShowAsync(conversationId, shareLink: false, http, access, chats, store, cancellationToken);

    public static Task<IResult> Shared(string conversationId, HttpContext http, ArtifactFileAccess access, ChatStore chats,
        ArtifactFileStore store, CancellationToken cancellationToken) =>
        ShowAsync(conversationId, shareLink: true, http, access, chats, store, cancellationToken);

    private static async Task<IResult> ShowAsync(string conversationId, bool shareLink, HttpContext http, ArtifactFileAccess access,
        ChatStore chats, ArtifactFileStore store, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await PageAuth.ConversationAsync(http, conversationId, access,
            reader => PageLayout.Message(reader, StatusCodes.Status404NotFound, "Conversation not found", "We could not find what you're looking for :/"),
            cancellationToken, visitors: shareLink);
        if (grant is null)
        {
            return refusal!;
        }
        var user = CurrentUser.From(http.User);
        var chat = await chats.ReadAsync(grant.Shown, cancellationToken);
        var messages = chat.Chat.Content.Messages.ToDictionary(m => m.Id, m => JsonNode.Parse(m.Body) as JsonObject ?? new JsonObject());
        var branch = MessageTree.Branch(messages, chat.Chat.CurrentId, m => MessageTree.String(m["parentId"]));
        var artifacts = await store.OfConversationAsync(grant.Chat.Id, grant.VisibleUntil, cancellationToken);
        var byMessage = artifacts.Where(a => a.MessageId is not null).ToLookup(a => a.MessageId!);
        var shown = new HashSet<string>();
        var entries = new List<ConversationEntry>();
        foreach (var message in branch)
        {
            var id = MessageTree.String(message["id"]) ?? "";
            var role = MessageTree.String(message["role"]) ?? "assistant";
            var attached = byMessage[id].ToList();
            shown.UnionWith(attached.Select(a => a.Id));
            var author = role == "user" ? "You" : MessageTree.String(message["model"]) ?? "Assistant";
            var text = MessageTree.Text(message["content"]);
            // A person's words are shown as written; a model's as Markdown, with Open WebUI's blocks collapsed.
            IReadOnlyList<ContentPart> parts = role == "user" ? [new TextPart(SafeMarkdown.ToHtml(text, math: true))] : ContentBlocks.Split(text);
            entries.Add(new ConversationEntry(id, role, author, parts, attached));
        }
        var loose = artifacts.Where(a => !shown.Contains(a.Id)).ToList();
        return new PageResult(Slices.Conversation.Create(new ConversationView(user, grant.Shown.Title, entries, loose, grant.ViaId, shareLink)));
    }
}

/// <summary>
/// What <c>Slices/Conversation.cshtml</c> shows: the current branch and the files no message holds; <paramref name="User"/>
/// is null for a visitor of a public share, <paramref name="Shared"/> says the page was reached by a share link.
/// </summary>
public sealed record ConversationView(CurrentUser? User, string Title, IReadOnlyList<ConversationEntry> Messages,
    IReadOnlyList<ArtifactFileRow> Loose, string ViaId, bool Shared)
{
    /// <summary>Whether a message has LaTeX math, which the page's script (<c>app/pagemath.js</c>) has KaTeX draw.</summary>
    public bool HasMath => Messages.Any(m => ContentBlocks.HaveMath(m.Parts));
}

/// <summary>One message of the branch: its text in parts (<see cref="ContentBlocks"/>: Markdown drawn, Open WebUI's blocks), and its files.</summary>
public sealed record ConversationEntry(string Id, string Role, string Author, IReadOnlyList<ContentPart> Parts, IReadOnlyList<ArtifactFileRow> Attached);

/// <summary>Files listed under a message or the conversation, linked through the id the reader reached them by.</summary>
public sealed record AttachmentList(IReadOnlyList<ArtifactFileRow> Rows, string ViaId);
