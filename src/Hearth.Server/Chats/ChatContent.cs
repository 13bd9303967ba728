using System.Data.Common;
using Dapper;

namespace Hearth.Server.Chats;

/// <summary>An item of the chat's flat <c>messages</c> list as stored: a message's id, or the item's own JSON.</summary>
internal sealed class FlatItemRow
{
    public long Pos { get; set; }
    public string? MessageId { get; set; }
    public string? Body { get; set; }

    public bool SameAs(FlatItemRow other) => MessageId == other.MessageId && (MessageId is not null || Body == other.Body);
}

/// <summary>
/// What a chat holds beside its row: its messages in order (replies missing from their parent's <c>childrenIds</c>
/// relinked, <see cref="ChildLinks"/>) and its flat <c>messages</c> list.
/// </summary>
internal sealed record ChatContent(IReadOnlyList<(string Id, string Body)> Messages, IReadOnlyList<FlatItemRow> Flat)
{
    public static async Task<ChatContent> ReadAsync(DbConnection connection, string chatId, CancellationToken cancellationToken,
        DbTransaction? transaction = null) =>
        new(ChildLinks.Relink((await connection.QueryAsync<(string, string?, string)>(new CommandDefinition(
                "SELECT id, parent_id, body FROM chat_messages WHERE chat_id = @chatId ORDER BY seq", new { chatId }, transaction,
                cancellationToken: cancellationToken))).ToList()),
            (await connection.QueryAsync<FlatItemRow>(new CommandDefinition(
                "SELECT pos, message_id, body FROM chat_flat_messages WHERE chat_id = @chatId ORDER BY pos", new { chatId }, transaction,
                cancellationToken: cancellationToken))).ToList());
}
