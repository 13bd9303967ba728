namespace Hearth.Server.ArtifactFiles;

/// <summary>An artifact on the wire (artifact-files.md): <c>created_at</c> ISO-8601 UTC, <c>url</c> the download route.</summary>
internal sealed record ArtifactFileItem(
    string Id, string Name, string MimeType, string Type, long Size, string CreatedAt, string ConversationId,
    string? ConversationTitle, string? MessageId, string Url)
{
    /// <param name="conversationId">The id the caller used: the chat's own, or its share's when read through a share.</param>
    public static ArtifactFileItem From(ArtifactFileRow row, string? conversationId = null)
    {
        var viaId = conversationId ?? row.ChatId;
        return new ArtifactFileItem(row.Id, row.Name, row.MimeType, row.Kind, row.Size,
            row.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            viaId, row.ChatTitle, row.MessageId, ArtifactFileLinks.Path(viaId, row.Id));
    }
}

/// <summary>GET /api/artifacts: one page of the caller's artifacts.</summary>
internal sealed record ArtifactFilePage(IReadOnlyList<ArtifactFileItem> Items, long Total, int Page, int Size, long Pages);

/// <summary>A signed URL that works without credentials until <c>expires_at</c>.</summary>
internal sealed record SignedUrlResponse(string Url, string ExpiresAt);
