using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.ArtifactFiles.Blobs;
using Hearth.Server.Chats;
using Hearth.Server.Common;
using Hearth.Server.Storage;
using Microsoft.Extensions.Options;

namespace Hearth.Server.ArtifactFiles;

/// <summary>The outcome of storing a file: the new row, or why nothing was stored (413, an unknown message, or the chat deleted meanwhile).</summary>
internal sealed record StoreResult(ArtifactFileRow? Row, string? TooLarge = null, bool UnknownMessage = false, bool ChatGone = false);

/// <summary>
/// Keeps artifact files: bytes in the blob store (with a metadata sidecar, so the folders alone can rebuild the
/// rows), a row per file, and the producing message's <c>files</c> list. Holds no SQL and sees no HTTP.
/// </summary>
internal sealed class ArtifactFileKeeper(
    ArtifactFileStore store, IBlobStorage blobs, ChatMessageStore messages, IOptions<FileStorageOptions> options,
    TimeProvider clock, ILogger<ArtifactFileKeeper> logger) : IChatDataOwner
{
    private FileStorageOptions Limits => options.Value;

    /// <summary>
    /// Stores <paramref name="content"/> (seekable) in <paramref name="chat"/>; the file is whole on disk before its row commits.
    /// With <paramref name="keepTime"/> attaching it leaves the chat's <c>updated_at</c> (an imported chat keeps its time).
    /// </summary>
    public async Task<StoreResult> StoreAsync(ChatRow chat, string? messageId, string rawName, string? declaredType, Stream content,
        CancellationToken cancellationToken, bool keepTime = false)
    {
        var length = content.Length;
        if (length > Limits.MaxFileSize)
        {
            return new StoreResult(null, ErrorMessages.ArtifactTooLarge(Limits.MaxFileSize));
        }
        if (messageId is not null && !await store.MessageExistsAsync(chat.Id, messageId, cancellationToken))
        {
            return new StoreResult(null, UnknownMessage: true);
        }
        var (conversationBytes, userBytes) = await store.UsageAsync(chat.Id, chat.UserId, cancellationToken);
        if (OverLimit(conversationBytes, userBytes, length) is { } full)
        {
            return new StoreResult(null, full);
        }
        var name = FileNames.Clean(rawName);
        var mime = FileKinds.MimeType(name, declaredType);
        var createdAt = NextCreatedAt();
        var id = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(createdAt)).ToString();
        var row = new ArtifactFileRow
        {
            Id = id, ChatId = chat.Id, UserId = chat.UserId, MessageId = messageId, Name = name, SearchName = name.ToLowerInvariant(),
            MimeType = mime, Kind = FileKinds.Kind(name, mime), Size = length,
            Sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken)),
            StorageKey = BlobKeys.Artifact(chat.Id, id, FileNames.StoredExtension(name)), CreatedAt = createdAt,
        };
        content.Position = 0;
        var meta = JsonSerializer.SerializeToUtf8Bytes(ArtifactFileSidecar.From(row), JsonSettings.Wire);
        await blobs.PutAsync(BlobKeys.Meta(chat.Id, id), new MemoryStream(meta), meta.Length, "application/json", cancellationToken);
        await blobs.PutAsync(row.StorageKey, content, length, mime, cancellationToken);
        var outcome = await store.InsertAsync(row, Limits.MaxConversationSize, Limits.MaxUserSize, cancellationToken);
        if (outcome == InsertOutcome.ChatGone)
        {
            // Deleted meanwhile: its folder may have gone before these files came, and been made again by them.
            await blobs.DeletePrefixAsync(BlobKeys.Conversation(chat.Id), CancellationToken.None);
            return new StoreResult(null, ChatGone: true);
        }
        if (outcome != InsertOutcome.Stored)
        {
            // Another upload filled the space between the first check and the insert: nothing stays.
            await RemoveBlobsAsync(row, CancellationToken.None);
            return new StoreResult(null, outcome == InsertOutcome.ConversationFull
                ? ErrorMessages.ConversationArtifactsFull(Limits.MaxConversationSize)
                : ErrorMessages.UserArtifactsFull(Limits.MaxUserSize));
        }
        if (messageId is not null)
        {
            await messages.ChangeAsync(chat.Id, messageId, message => message is null ? null : WithFile(message, row), false, cancellationToken,
                keepTime: keepTime);
        }
        return new StoreResult(row);
    }

    private long _lastCreatedAt;

    /// <summary>Creation times in milliseconds, strictly increasing in this process, so "newest first" is a total order.</summary>
    private long NextCreatedAt()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastCreatedAt);
            var next = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), last + 1);
            if (Interlocked.CompareExchange(ref _lastCreatedAt, next, last) == last)
            {
                return next;
            }
        }
    }

    private string? OverLimit(long conversationBytes, long userBytes, long length) =>
        Limits.MaxConversationSize > 0 && conversationBytes + length > Limits.MaxConversationSize
            ? ErrorMessages.ConversationArtifactsFull(Limits.MaxConversationSize)
            : Limits.MaxUserSize > 0 && userBytes + length > Limits.MaxUserSize ? ErrorMessages.UserArtifactsFull(Limits.MaxUserSize) : null;

    /// <summary>The message's <c>files</c> list with a reference to the artifact, as Open WebUI's clients show attachments.</summary>
    private static JsonObject WithFile(JsonObject message, ArtifactFileRow row)
    {
        if (message["files"] is not JsonArray files)
        {
            files = new JsonArray();
            message["files"] = files;
        }
        files.Add(Reference(row));
        return message;
    }

    /// <summary>How a message's <c>files</c> list refers to an artifact.</summary>
    public static JsonObject Reference(ArtifactFileRow row) => new()
    {
        ["type"] = row.Kind == FileKinds.Images ? "image" : "file", ["id"] = row.Id, ["name"] = row.Name,
        ["url"] = ArtifactFileLinks.Path(row.ChatId, row.Id), ["size"] = row.Size, ["content_type"] = row.MimeType, ["artifact"] = true,
    };

    public Task<Stream?> OpenAsync(ArtifactFileRow row, CancellationToken cancellationToken) => blobs.OpenAsync(row.StorageKey, cancellationToken);

    /// <summary>Deletes the row, then the file, then its mention in the message's <c>files</c>.</summary>
    public async Task<bool> DeleteAsync(string chatId, string id, CancellationToken cancellationToken)
    {
        if (await store.DeleteAsync(chatId, id, cancellationToken) is not { } row)
        {
            return false;
        }
        await RemoveBlobsAsync(row, cancellationToken);
        if (row.MessageId is not null)
        {
            await messages.ChangeAsync(chatId, row.MessageId, message =>
            {
                if (message?["files"] is not JsonArray files)
                {
                    return null;
                }
                foreach (var file in files.Where(f => f is JsonObject o && o["id"] is JsonValue v && v.ToString() == id).ToList())
                {
                    files.Remove(file);
                }
                return message;
            }, false, cancellationToken);
        }
        return true;
    }

    private async Task RemoveBlobsAsync(ArtifactFileRow row, CancellationToken cancellationToken)
    {
        await blobs.DeleteAsync(row.StorageKey, cancellationToken);
        await blobs.DeleteAsync(BlobKeys.Meta(row.ChatId, row.Id), cancellationToken);
    }

    /// <summary>Chats are gone (their rows cascaded): their folders go too. A failure is logged; the chat stays deleted.</summary>
    public async Task ChatsDeletedAsync(IReadOnlyCollection<string> chatIds, CancellationToken cancellationToken)
    {
        foreach (var chatId in chatIds.Where(BlobKeys.IsSafeSegment))
        {
            try
            {
                await blobs.DeletePrefixAsync(BlobKeys.Conversation(chatId), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException)
            {
                logger.LogError(e, "Could not remove the artifact files of deleted chat {ChatId}", chatId);
            }
        }
    }
}

/// <summary>What the sidecar <c>.meta/{id}.json</c> keeps, so a row can be rebuilt from the folders alone.</summary>
internal sealed record ArtifactFileSidecar(string Id, string UserId, string? MessageId, string Name, string MimeType, string Kind, string Sha256, long CreatedAt)
{
    public static ArtifactFileSidecar From(ArtifactFileRow row) =>
        new(row.Id, row.UserId, row.MessageId, row.Name, row.MimeType, row.Kind, row.Sha256, row.CreatedAt);
}
