using System.Data.Common;
using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Benchmarks;

/// <summary>
/// Many chats fast, for benchmarks that need a million: copies of chats Hearth itself stored (through
/// <see cref="ChatSeeder"/>), made by <c>INSERT … SELECT</c> on the chat, message and flat-list rows, every column
/// as stored but the chat's id (the template's id and <c>~N</c>, in the document too). The full-text triggers fill
/// the search tables as for any insert. About a hundred times faster than storing each chat through the store.
/// </summary>
internal sealed class ChatMultiplier(Database database)
{
    /// <summary>Copies the first <paramref name="chats"/> chats of <paramref name="userId"/> (by id; none of them a copy) <paramref name="times"/> times.</summary>
    public async Task CopyAsync(string userId, int chats, int times, Action<int>? copied = null)
    {
        var columns = new Dictionary<string, string[]>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            foreach (var table in new[] { "chats", "chat_messages", "chat_flat_messages" })
            {
                await using var reader = await connection.ExecuteReaderAsync($"SELECT * FROM {table} WHERE 1 = 0");
                columns[table] = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            }
        }
        var templates = $"SELECT id FROM chats WHERE user_id = @userId AND id NOT LIKE '%~%' ORDER BY id LIMIT {chats}";
        for (var n = 1; n <= times; n++)
        {
            var suffix = $"~{n}";
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync(Copy("chats", columns["chats"], "id", $"id IN ({templates})"), new { userId, suffix }, transaction);
                foreach (var table in new[] { "chat_messages", "chat_flat_messages" })
                {
                    await connection.ExecuteAsync(Copy(table, columns[table], "chat_id", $"chat_id IN ({templates})"), new { userId, suffix }, transaction);
                }
                return true;
            }, CancellationToken.None);
            copied?.Invoke(n * chats);
        }
    }

    private static string Copy(string table, string[] columns, string idColumn, string where)
    {
        var values = columns.Select(c => c == idColumn ? $"{c} || @suffix" : c == "doc" ? "replace(doc, id, id || @suffix)" : c);
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {table} WHERE {where}";
    }
}
