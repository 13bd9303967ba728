using Hearth.Server.ArtifactFiles;

namespace Hearth.Server.Pages;

/// <summary>
/// An HTML artifact opened as a page of its own (a link, a signed URL): Hearth's page around it, with the
/// artifact in the same sandboxed frame as the gallery's preview. Loaded directly, the artifact would be the
/// top window, which a sandbox cannot keep from navigating itself to another site; in this frame the page's
/// <c>frame-src 'self'</c> stops that, and the page answers its window.storage in the artifact's key space.
/// </summary>
internal static class ArtifactViewPage
{
    public static IResult Show(HttpContext http, ArtifactFileRow row)
    {
        // The frame asks for this same URL (with a signed URL's signature); as a frame, it gets the file.
        var source = http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
        return new PageResult(Slices.ArtifactView.Create(new ArtifactFrame(row.Name, source, ArtifactFileKeySpace.For(row))));
    }

    /// <summary>
    /// <c>/c/{conversation}/files/{artifact}</c>: the same page for an HTML file named by its conversation, which the
    /// chat app's artifacts panel frames (the file's own URL, asked for by a frame, answers with the file itself).
    /// </summary>
    public static async Task<IResult> InConversation(string conversationId, string artifactId, HttpContext http, ArtifactFileAccess access,
        ArtifactFileStore store, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await PageAuth.ConversationAsync(http, conversationId, access, NotFound, cancellationToken);
        if (grant is null)
        {
            return refusal!;
        }
        var row = await store.GetAsync(grant.Chat.Id, artifactId, cancellationToken);
        if (row is null || !ArtifactFileAccess.Covers(grant, row) || row.Kind != FileKinds.Html)
        {
            return NotFound(Auth.CurrentUser.From(http.User));
        }
        var source = $"/api/conversations/{Uri.EscapeDataString(conversationId)}/artifacts/{Uri.EscapeDataString(artifactId)}?inline=true";
        return new PageResult(Slices.ArtifactView.Create(new ArtifactFrame(row.Name, source, ArtifactFileKeySpace.For(row))));
    }

    private static IResult NotFound(Auth.CurrentUser? user) =>
        PageLayout.Message(user, StatusCodes.Status404NotFound, "Artifact not found", "This conversation has no such HTML file.");
}

/// <summary>
/// What <c>Slices/ArtifactView.cshtml</c> frames: the artifact's name, the URL its sandboxed frame loads and the key
/// space its window.storage lives in.
/// </summary>
public sealed record ArtifactFrame(string Name, string Source, string StorageSpace);
