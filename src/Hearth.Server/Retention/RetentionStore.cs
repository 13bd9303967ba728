using Dapper;
using Hearth.Server.Storage;

namespace Hearth.Server.Retention;

/// <summary>The reads a retention pass makes: who has which groups, and which of a user's chats a rule removes.</summary>
internal sealed class RetentionStore(Database database)
{
    /// <summary>Every user's id with the ids of their groups (the policy is decided per user).</summary>
    public async Task<IReadOnlyList<(string UserId, IReadOnlyList<string> GroupIds)>> UsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var users = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM users ORDER BY id", cancellationToken: cancellationToken));
        var memberships = (await connection.QueryAsync<(string UserId, string GroupId)>(new CommandDefinition(
            "SELECT user_id, group_id FROM group_members", cancellationToken: cancellationToken)))
            .ToLookup(m => m.UserId, m => m.GroupId);
        return users.Select(id => (id, (IReadOnlyList<string>)memberships[id].ToList())).ToList();
    }

    /// <summary>Up to <paramref name="limit"/> of the user's chats <paramref name="rule"/> removes at <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RetentionCandidate>> CandidatesAsync(string userId, RetentionRule rule, long before, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string Title, long UpdatedAt)>(new CommandDefinition(
            $"SELECT id, title, updated_at FROM chats WHERE {Removable(rule)} ORDER BY updated_at, id LIMIT @limit",
            new { userId, before, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new RetentionCandidate(r.Id, userId, r.Title, r.UpdatedAt, rule.Action!)).ToList();
    }

    public async Task<long> CountAsync(string userId, RetentionRule rule, long before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM chats WHERE {Removable(rule)}", new { userId, before }, cancellationToken: cancellationToken));
    }

    public string Removable(RetentionRule rule) => RetentionSql.Removable(database.IsPostgres, rule.Action == RetentionRule.Archive);
}
