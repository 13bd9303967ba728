using Dapper;
using Hearth.Server.Common;
using Hearth.Server.Storage;

namespace Hearth.Server.Chats;

internal sealed class TagRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? Meta { get; set; }

    public TagModel ToModel() => new(Id, Name, UserId, Meta is null ? null : new RawJson(Meta));
}

/// <summary>Open WebUI's per-user tag rows and the orphan rule (section 5).</summary>
internal sealed class TagStore(Database database)
{
    /// <summary><c>name.replace(" ", "_").lower()</c>.</summary>
    public static string Normalise(string name) => name.Replace(" ", "_").ToLowerInvariant();

    public async Task<IReadOnlyList<TagRow>> AllAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TagRow>(new CommandDefinition(
            "SELECT id, name, user_id, meta FROM tags WHERE user_id = @userId ORDER BY id", new { userId },
            cancellationToken: cancellationToken))).ToList();
    }

    public async Task<IReadOnlyList<TagRow>> ByIdsAsync(string userId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TagRow>(new CommandDefinition(
            $"SELECT id, name, user_id, meta FROM tags WHERE user_id = @userId AND {connection.In("id", "@ids")} ORDER BY id",
            new { userId, ids = ids.ToArray() },
            cancellationToken: cancellationToken))).ToList();
    }

    public async Task EnsureAsync(string userId, string id, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tags (id, user_id, name, meta) VALUES (@id, @userId, @name, NULL) ON CONFLICT DO NOTHING",
            new { id, userId, name }, cancellationToken: cancellationToken));
    }

    /// <summary>Ensures a tag row for each tag an imported chat's <c>meta.tags</c> carries, so lists of tags show them.</summary>
    public async Task EnsureAllAsync(string userId, IEnumerable<string> metas, CancellationToken cancellationToken)
    {
        foreach (var tag in metas.SelectMany(ChatWrites.TagsOf).Where(t => t != ChatTagHandlers.NoneTag).Distinct())
        {
            await EnsureAsync(userId, tag, tag, cancellationToken);
        }
    }

    public async Task DeleteAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM tags WHERE user_id = @userId AND id = @id", new { userId, id }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes each of <paramref name="ids"/> that no non-archived chat of the user carries any more.</summary>
    public async Task DeleteOrphansAsync(string userId, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct().ToList();
        if (list.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM tags WHERE user_id = @userId AND {connection.In("id", "@list")} AND NOT EXISTS (
                SELECT 1 FROM chat_tags t JOIN chats c ON c.id = t.chat_id
                WHERE t.user_id = @userId AND t.tag_id = tags.id AND c.archived = FALSE)
            """, new { userId, list = list.ToArray() }, cancellationToken: cancellationToken));
    }
}
