using System.Data.Common;
using Dapper;

namespace Hearth.Server.Chats;

/// <summary>
/// Writes a new <c>history.messages</c> over the stored rows touching only what changed: new and edited
/// messages are upserted, missing ones deleted, unchanged ones left alone (compared by a hash of their JSON).
/// </summary>
internal static class MessageDiff
{
    public static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, string chatId, IReadOnlyList<StoredMessage> incoming)
    {
        var stored = (await connection.QueryAsync<MessageKeyRow>(
            "SELECT id, seq, body_hash FROM chat_messages WHERE chat_id = @chatId ORDER BY seq", new { chatId }, transaction))
            .ToDictionary(r => r.Id);
        var incomingIds = incoming.Select(m => m.Id).ToHashSet();
        var removed = stored.Keys.Where(id => !incomingIds.Contains(id)).ToList();
        if (removed.Count > 0)
        {
            await connection.ExecuteAsync("DELETE FROM chat_messages WHERE chat_id = @chatId AND id = @id",
                removed.Select(id => new { chatId, id }), transaction);
        }

        if (KeepsStoredOrder(incoming, stored))
        {
            var next = stored.Count == 0 ? 1 : stored.Values.Max(r => r.Seq) + 1;
            var writes = new List<(StoredMessage, long)>();
            foreach (var message in incoming)
            {
                if (!stored.TryGetValue(message.Id, out var existing))
                {
                    writes.Add((message, next++));
                }
                else if (existing.BodyHash != message.BodyHash)
                {
                    writes.Add((message, existing.Seq));
                }
            }
            await ChatWrites.WriteMessagesAsync(connection, transaction, chatId, writes, upsert: true);
            return;
        }

        // The client reordered history.messages: renumber everything (rare), via negative numbers so the
        // unique (chat_id, seq) index never sees two rows with one position.
        await connection.ExecuteAsync("UPDATE chat_messages SET seq = -seq WHERE chat_id = @chatId", new { chatId }, transaction);
        await ChatWrites.WriteMessagesAsync(connection, transaction, chatId, incoming.Select((m, i) => (m, (long)i + 1)), upsert: true);
    }

    /// <summary>True when kept messages stay in their stored order and every new one comes after them.</summary>
    private static bool KeepsStoredOrder(IReadOnlyList<StoredMessage> incoming, Dictionary<string, MessageKeyRow> stored)
    {
        long last = long.MinValue;
        var seenNew = false;
        foreach (var message in incoming)
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
