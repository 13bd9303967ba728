using Hearth.Server.ArtifactFiles;
using Hearth.Server.Auth;
using Hearth.Server.Chats;

namespace Hearth.Server.Pages;

/// <summary>
/// An HTML or SVG block of a reply, as the chat app's artifacts panel shows it. <c>/c/{conversation}/artifacts/{message}/{n}</c>
/// is Hearth's page around it, the same as an HTML file's (<see cref="ArtifactViewPage"/>): it answers the block's
/// window.storage in the conversation's reply space and frames <c>…/content</c>, the block itself, which runs only in
/// that sandboxed frame (unique origin, no cookies, no way out) and is inert anywhere else. Whoever may read the
/// conversation (its owner, an admin, a grantee, a share link's reader) may open its blocks.
/// </summary>
internal static class ReplyArtifactPage
{
    public static async Task<IResult> Show(string conversationId, string messageId, int index, HttpContext http, ArtifactFileAccess access,
        ChatMessageStore messages, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindAsync(conversationId, messageId, index, http, access, messages, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }
        var name = found.Value.Artifact.Language == "svg" ? "SVG" : "HTML app";
        var source = http.Request.Path.ToUriComponent().TrimEnd('/') + "/content";
        return new PageResult(Slices.ArtifactView.Create(new ArtifactFrame(name, source, ArtifactFileKeySpace.ForReplies(found.Value.ChatId))));
    }

    public static async Task<IResult> Content(string conversationId, string messageId, int index, HttpContext http, ArtifactFileAccess access,
        ChatMessageStore messages, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindAsync(conversationId, messageId, index, http, access, messages, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }
        var headers = http.Response.Headers;
        var destination = http.Request.Headers["Sec-Fetch-Dest"].ToString();
        // The same address answers a frame, a page and anything else differently.
        headers.Vary = "Sec-Fetch-Dest";
        if (destination == "document")
        {
            // Opened as a page, the block would be the model's markup at a Hearth address: it gets Hearth's page around it.
            var path = http.Request.Path.ToUriComponent();
            return TypedResults.Redirect(path[..path.LastIndexOf('/')]);
        }
        // Only Hearth's page around it may frame a block: it is the model's markup, never meant for another site's page.
        ArtifactFileResponses.SetGuards(headers, destination, inline: true, ArtifactFileResponses.FramePolicy + "; frame-ancestors 'self'");
        var artifact = found.Value.Artifact;
        return artifact.Language == "svg"
            ? TypedResults.Text(artifact.Source, "image/svg+xml; charset=utf-8")
            : TypedResults.Text(BridgeInjection.Inject(artifact.Source, ArtifactFileResponses.BridgeScript), "text/html; charset=utf-8");
    }

    private static async Task<((ReplyArtifact Artifact, string ChatId)? Found, IResult? Refusal)> FindAsync(string conversationId, string messageId,
        int index, HttpContext http, ArtifactFileAccess access, ChatMessageStore messages, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await PageAuth.ConversationAsync(http, conversationId, access, NotFound, cancellationToken);
        if (grant is null)
        {
            return (null, refusal);
        }
        // A share's reader sees the block as the snapshot has it; the store is the chat's, whoever looks.
        var message = await messages.GetAsync(grant.Shown.Id, messageId, cancellationToken);
        var artifact = message is null ? null : ReplyArtifacts.Find(MessageTree.Text(message["content"]), index);
        return artifact is null ? (null, NotFound(CurrentUser.From(http.User))) : ((artifact, grant.Chat.Id), null);
    }

    private static IResult NotFound(CurrentUser? user) =>
        PageLayout.Message(user, StatusCodes.Status404NotFound, "Artifact not found", "This reply has no such HTML or SVG block.");
}
