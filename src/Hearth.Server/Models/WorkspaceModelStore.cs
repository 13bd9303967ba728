using Dapper;
using Hearth.Server.Access;
using Hearth.Server.Storage;

namespace Hearth.Server.Models;

/// <summary>
/// <c>workspace_models</c> and their grants (<c>access_grants</c>, resource type <see cref="ResourceType"/>): an
/// entry and its grants change in one transaction.
/// </summary>
internal sealed class WorkspaceModelStore(Database database, AccessGrantStore grants, TimeProvider clock)
{
    public const string ResourceType = "model";
    private const string Columns = "id, user_id, base_model_id, name, params, meta, is_active, created_at, updated_at";

    public async Task<WorkspaceModelRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WorkspaceModelRow>(new CommandDefinition(
            $"SELECT {Columns} FROM workspace_models WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Every entry, the most recently changed first (there are as many as people curate: a handful to hundreds).</summary>
    public async Task<IReadOnlyList<WorkspaceModelRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WorkspaceModelRow>(new CommandDefinition(
            $"SELECT {Columns} FROM workspace_models ORDER BY updated_at DESC, id", cancellationToken: cancellationToken))).AsList();
    }

    public Task<ILookup<string, AccessGrant>> GrantsAsync(string? id, CancellationToken cancellationToken) =>
        grants.OfAsync(ResourceType, id, cancellationToken);

    /// <summary>Inserts the entry with its grants; false when the id is taken.</summary>
    public Task<bool> CreateAsync(WorkspaceModelRow row, IReadOnlyList<AccessGrant> access, CancellationToken cancellationToken)
    {
        row.CreatedAt = row.UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync(
                $"""
                 INSERT INTO workspace_models ({Columns})
                 VALUES (@Id, @UserId, @BaseModelId, @Name, @Params, @Meta, @IsActive, @CreatedAt, @UpdatedAt)
                 ON CONFLICT (id) DO NOTHING
                 """, row, transaction) > 0;
            if (inserted)
            {
                await AccessGrantStore.ReplaceAsync(connection, transaction, ResourceType, row.Id, access, row.CreatedAt);
            }
            return inserted;
        }, cancellationToken);
    }

    /// <summary>Saves the entry's fields and, when given, replaces its grants; false when it is gone.</summary>
    public Task<bool> UpdateAsync(WorkspaceModelRow row, IReadOnlyList<AccessGrant>? access, CancellationToken cancellationToken)
    {
        row.UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync(
                """
                UPDATE workspace_models SET base_model_id = @BaseModelId, name = @Name, params = @Params, meta = @Meta,
                    is_active = @IsActive, updated_at = @UpdatedAt
                WHERE id = @Id
                """, row, transaction) > 0;
            if (updated && access is not null)
            {
                await AccessGrantStore.ReplaceAsync(connection, transaction, ResourceType, row.Id, access, row.UpdatedAt);
            }
            return updated;
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await AccessGrantStore.DeleteAsync(connection, transaction, ResourceType, id);
            return await connection.ExecuteAsync("DELETE FROM workspace_models WHERE id = @id", new { id }, transaction) > 0;
        }, cancellationToken);
}
