using System.Security.Cryptography;
using System.Text.Json;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Common;

namespace Hearth.Server.ArtifactFiles;

/// <summary>What a rebuild did.</summary>
internal sealed record RebuildSummary(int Files, int Added, int Removed, int Orphans);

/// <summary>
/// Rebuilds <c>artifact_files</c> from the folders, which stay the source of truth: a row for every file of an
/// existing conversation (metadata from its sidecar when there is one), no row for a file that is gone.
/// </summary>
internal sealed class ArtifactFileRebuilder(ArtifactFileStore store, IBlobStorage blobs)
{
    public async Task<RebuildSummary> RebuildAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string ConversationId, string FileName, BlobEntry Entry)>();
        await foreach (var entry in blobs.ListAsync(BlobKeys.Root, cancellationToken))
        {
            if (BlobKeys.Parse(entry.Key) is { } parts)
            {
                found[Path.GetFileNameWithoutExtension(parts.FileName)] = (parts.ConversationId, parts.FileName, entry);
            }
        }
        var rows = await store.AllKeysAsync(cancellationToken);
        var stale = rows.Where(r => !found.TryGetValue(r.Key, out var file) || file.Entry.Key != r.Value).Select(r => r.Key).ToList();
        if (stale.Count > 0)
        {
            await store.DeleteRowsAsync(stale, cancellationToken);
        }
        var owners = await store.OwnersAsync(found.Values.Select(f => f.ConversationId).Distinct().ToList(), cancellationToken);
        var added = new List<ArtifactFileRow>();
        var orphans = 0;
        foreach (var (id, (conversationId, fileName, entry)) in found)
        {
            if (!owners.TryGetValue(conversationId, out var owner))
            {
                orphans++;
                continue;
            }
            if (rows.ContainsKey(id) && !stale.Contains(id))
            {
                continue;
            }
            added.Add(await RowAsync(id, conversationId, owner, fileName, entry, cancellationToken));
            progress?.Report($"{conversationId}/{fileName}");
        }
        var inserted = added.Count == 0 ? 0 : await store.InsertManyAsync(added, cancellationToken);
        return new RebuildSummary(found.Count, inserted, stale.Count, orphans);
    }

    private async Task<ArtifactFileRow> RowAsync(string id, string conversationId, string owner, string fileName, BlobEntry entry,
        CancellationToken cancellationToken)
    {
        var sidecar = await ReadSidecarAsync(conversationId, id, cancellationToken);
        var name = FileNames.Clean(sidecar?.Name ?? fileName);
        var mime = sidecar?.MimeType ?? FileKinds.MimeType(name, null);
        string sha256;
        if (sidecar?.Sha256 is { Length: 64 } known)
        {
            sha256 = known;
        }
        else
        {
            await using var content = await blobs.OpenAsync(entry.Key, cancellationToken) ?? Stream.Null;
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        }
        return new ArtifactFileRow
        {
            Id = id, ChatId = conversationId, UserId = owner, MessageId = sidecar?.MessageId, Name = name, SearchName = name.ToLowerInvariant(),
            MimeType = mime, Kind = FileKinds.Kind(name, mime), Size = entry.Size, Sha256 = sha256, StorageKey = entry.Key,
            CreatedAt = sidecar?.CreatedAt ?? entry.LastModified.ToUnixTimeMilliseconds(),
        };
    }

    private async Task<ArtifactFileSidecar?> ReadSidecarAsync(string conversationId, string id, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenAsync(BlobKeys.Meta(conversationId, id), cancellationToken);
        if (stream is null)
        {
            return null;
        }
        try
        {
            return await JsonSerializer.DeserializeAsync<ArtifactFileSidecar>(stream, JsonSettings.Wire, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
