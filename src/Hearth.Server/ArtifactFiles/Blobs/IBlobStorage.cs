namespace Hearth.Server.ArtifactFiles.Blobs;

/// <summary>One stored object: its key (a relative path with forward slashes) and size.</summary>
internal sealed record BlobEntry(string Key, long Size, DateTimeOffset LastModified);

/// <summary>
/// Where artifact bytes live: the data directory (default) or an S3-compatible bucket, with the same key
/// layout (<c>uploads/conversations/{conversation_id}/artifacts/{uuid}.{ext}</c>) in both.
/// </summary>
internal interface IBlobStorage
{
    /// <summary>A short name for logs and the start-up banner.</summary>
    string Description { get; }

    /// <summary>Stores the whole content under <paramref name="key"/>; readers never see a partial object.</summary>
    Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken);

    /// <summary>The content, or null when there is no such object.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes every object whose key starts with <paramref name="prefix"/> (a folder, ending in '/').</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Removes what puts cut short by a crash left behind, if older than <paramref name="before"/>; answers how many.</summary>
    Task<int> RemoveUnfinishedAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Every object under <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<BlobEntry> ListAsync(string prefix, CancellationToken cancellationToken);
}

/// <summary>The key layout, shared by both stores and the rebuild command.</summary>
internal static class BlobKeys
{
    public const string Root = "uploads/conversations/";
    public const string MetaFolder = ".meta";

    public static string Conversation(string conversationId) => $"{Root}{conversationId}/";

    public static string Artifact(string conversationId, string artifactId, string extension) =>
        $"{Conversation(conversationId)}artifacts/{artifactId}{extension}";

    /// <summary>The sidecar that keeps an artifact's metadata next to it, so rows can be rebuilt from the folders.</summary>
    public static string Meta(string conversationId, string artifactId) =>
        $"{Conversation(conversationId)}artifacts/{MetaFolder}/{artifactId}.json";

    /// <summary>Splits <c>uploads/conversations/{c}/artifacts/{file}</c>; null for anything else (sidecars included).</summary>
    public static (string ConversationId, string FileName)? Parse(string key)
    {
        if (!key.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = key[Root.Length..].Split('/');
        return parts.Length == 3 && parts[1] == "artifacts" && parts[0].Length > 0 && parts[2].Length > 0 && !parts[2].StartsWith('.')
            ? (parts[0], parts[2])
            : null;
    }

    /// <summary>Conversation ids become folder names: only ids that are plainly safe as one are accepted.</summary>
    public static bool IsSafeSegment(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
