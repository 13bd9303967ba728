using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

/// <summary>
/// Merges a posted <c>history.messages</c> into the stored rows (the rules are <see cref="HistoryMerge"/>'s),
/// touching only what changed: new and edited messages are upserted, unchanged ones (same hash of their JSON)
/// left alone, and stored ones the copy lacks are kept; a message goes only through an explicit deletion.
/// Reads the chat's message keys once, and message bodies only of the few rows a rule looks into.
/// </summary>
internal static class MessageDiff
{
    /// <summary>What a merge left: the chat's current message, and the hash of each message's JSON as stored now.</summary>
    public sealed record Outcome(string? CurrentId, Func<string, string?> StoredHash);

    /// <summary>Writes the merge.</summary>
    /// <param name="namesCurrent">Whether the posted history has a <c>currentId</c>, <paramref name="postedCurrent"/>.</param>
    public static async Task<Outcome> ApplyAsync(DbConnection connection, DbTransaction transaction, string chatId,
        IReadOnlyList<StoredMessage> posted, bool namesCurrent, string? postedCurrent, string? storedCurrent)
    {
        var stored = (await connection.QueryAsync<MessageKeyRow>(
            "SELECT id, seq, body_hash, parent_id, role FROM chat_messages WHERE chat_id = @chatId ORDER BY seq", new { chatId }, transaction))
            .ToList();
        var byId = stored.ToDictionary(r => r.Id);
        var keptReplies = await KeptRepliesAsync(connection, transaction, chatId, posted, byId);
        var accepted = posted.Where(m => !keptReplies.Contains(m.Id)).ToList();
        var acceptedIds = accepted.Select(m => m.Id).ToHashSet();

        // Stored messages the copy lacks (or whose stored version wins) stay children of their parents,
        // even when the copy's parent lists only the children it knew of.
        var unknownChildren = stored.Where(r => r.ParentId is not null && !acceptedIds.Contains(r.Id)).ToLookup(r => r.ParentId!, r => r.Id);
        var writes = new Dictionary<string, StoredMessage>();
        foreach (var message in accepted)
        {
            var merged = unknownChildren.Contains(message.Id) ? HistoryMerge.WithChildren(message, unknownChildren[message.Id]) ?? message : message;
            if (!byId.TryGetValue(message.Id, out var existing) || existing.BodyHash != merged.BodyHash)
            {
                writes[message.Id] = merged;
            }
        }
        await AdoptNewChildrenAsync(connection, transaction, chatId, byId, acceptedIds, writes);

        if (KeepsStoredOrder(posted, byId))
        {
            var next = stored.Count == 0 ? 1 : stored.Max(r => r.Seq) + 1;
            var edited = writes.Values.Where(m => byId.ContainsKey(m.Id)).Select(m => (m, byId[m.Id].Seq));
            var added = posted.Where(m => writes.ContainsKey(m.Id) && !byId.ContainsKey(m.Id)).Select(m => (writes[m.Id], next++));
            await ChatWrites.WriteMessagesAsync(connection, transaction, chatId, edited.Concat(added).ToList(), upsert: true);
        }
        else
        {
            await RenumberAsync(connection, transaction, chatId, posted, stored, writes);
        }

        bool Exists(string id) => byId.ContainsKey(id) || acceptedIds.Contains(id);
        string? StoredHash(string id) =>
            writes.TryGetValue(id, out var written) ? written.BodyHash : byId.TryGetValue(id, out var row) ? row.BodyHash : null;
        return new Outcome(HistoryMerge.CurrentId(namesCurrent, postedCurrent, storedCurrent, Exists), StoredHash);
    }

    /// <summary>The hash of each stored message's JSON, for a save that posted no messages.</summary>
    public static async Task<Func<string, string?>> StoredHashesAsync(DbConnection connection, DbTransaction transaction, string chatId)
    {
        var hashes = (await connection.QueryAsync<(string Id, string BodyHash)>(
            "SELECT id, body_hash FROM chat_messages WHERE chat_id = @chatId", new { chatId }, transaction)).ToDictionary(r => r.Id, r => r.BodyHash);
        return hashes.GetValueOrDefault;
    }

    /// <summary>Posted assistant messages whose stored version wins (<see cref="HistoryMerge.KeepsStoredReply"/>).</summary>
    private static async Task<HashSet<string>> KeptRepliesAsync(DbConnection connection, DbTransaction transaction, string chatId,
        IReadOnlyList<StoredMessage> posted, Dictionary<string, MessageKeyRow> stored)
    {
        var changed = posted
            .Where(m => stored.TryGetValue(m.Id, out var row) && row.Role == "assistant" && row.BodyHash != m.BodyHash)
            .ToDictionary(m => m.Id);
        if (changed.Count == 0)
        {
            return [];
        }
        var bodies = await connection.QueryAsync<(string Id, string Body)>(
            $"SELECT id, body FROM chat_messages WHERE chat_id = @chatId AND {connection.In("id", "@ids")}",
            new { chatId, ids = changed.Keys.ToArray() }, transaction);
        return bodies.Where(b => HistoryMerge.KeepsStoredReply(b.Body, changed[b.Id].Body)).Select(b => b.Id).ToHashSet();
    }

    /// <summary>
    /// A new message (or one moved to another parent) under a stored message the copy does not carry is
    /// added to that parent's <c>childrenIds</c>, so an API client may post only the messages it adds.
    /// </summary>
    private static async Task AdoptNewChildrenAsync(DbConnection connection, DbTransaction transaction, string chatId,
        Dictionary<string, MessageKeyRow> stored, HashSet<string> acceptedIds, Dictionary<string, StoredMessage> writes)
    {
        var adoptions = writes.Values
            .Where(m => m.ParentId is { } parent && !acceptedIds.Contains(parent) && stored.ContainsKey(parent)
                && (!stored.TryGetValue(m.Id, out var existing) || existing.ParentId != parent))
            .ToLookup(m => m.ParentId!, m => m.Id);
        if (adoptions.Count == 0)
        {
            return;
        }
        var parents = await connection.QueryAsync<(string Id, string Body)>(
            $"SELECT id, body FROM chat_messages WHERE chat_id = @chatId AND {connection.In("id", "@ids")}",
            new { chatId, ids = adoptions.Select(a => a.Key).ToArray() }, transaction);
        foreach (var (id, body) in parents)
        {
            if (HistoryMerge.WithChildren(MessageTree.Describe(id, JsonNode.Parse(body)), adoptions[id]) is { } adopted)
            {
                writes[id] = adopted;
            }
        }
    }

    /// <summary>
    /// The client reordered the messages it posted: they take its order, and the stored messages it lacks
    /// follow in their stored order (rare). Numbers pass through negative ones, so the unique
    /// (chat_id, seq) index never sees two rows with one position.
    /// </summary>
    private static async Task RenumberAsync(DbConnection connection, DbTransaction transaction, string chatId,
        IReadOnlyList<StoredMessage> posted, IReadOnlyList<MessageKeyRow> stored, Dictionary<string, StoredMessage> writes)
    {
        var postedIds = posted.Select(m => m.Id).ToHashSet();
        var order = posted.Select(m => m.Id).Concat(stored.Where(r => !postedIds.Contains(r.Id)).Select(r => r.Id))
            .Select((id, i) => (Id: id, Seq: (long)i + 1)).ToList();
        await connection.ExecuteAsync("UPDATE chat_messages SET seq = -seq WHERE chat_id = @chatId", new { chatId }, transaction);
        await connection.ExecuteAsync("UPDATE chat_messages SET seq = @Seq WHERE chat_id = @chatId AND id = @Id",
            order.Where(o => !writes.ContainsKey(o.Id)).Select(o => new { chatId, o.Id, o.Seq }), transaction);
        await ChatWrites.WriteMessagesAsync(connection, transaction, chatId,
            order.Where(o => writes.ContainsKey(o.Id)).Select(o => (writes[o.Id], o.Seq)).ToList(), upsert: true);
    }

    /// <summary>True when posted messages that are stored keep their stored order and every new one comes after them.</summary>
    private static bool KeepsStoredOrder(IReadOnlyList<StoredMessage> posted, Dictionary<string, MessageKeyRow> stored)
    {
        long last = long.MinValue;
        var seenNew = false;
        foreach (var message in posted)
        {
            if (stored.TryGetValue(message.Id, out var existing))
            {
                if (seenNew || existing.Seq < last)
                {
                    return false;
                }
                last = existing.Seq;
            }
            else
            {
                seenNew = true;
            }
        }
        return true;
    }
}
