using Hearth.Server.Access;
using Hearth.Server.Auth;
using Hearth.Server.Completions;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Models;

/// <summary>
/// Who may see, use and change which model, as Open WebUI 0.11 decides it: a connection's model is for admins
/// until a workspace entry grants it to users (or <c>BYPASS_MODEL_ACCESS_CONTROL</c> opens every model);
/// an entry is its owner's, its writers' and its readers'; admins reach everything while
/// <c>BYPASS_ADMIN_ACCESS_CONTROL</c> is on (the default). A deactivated entry is used by admins only.
/// </summary>
internal sealed class ModelAccess(WorkspaceModelStore models, UserPermissions permissions, IOptions<CompletionOptions> options)
{
    /// <summary>
    /// Every entry (or only <paramref name="modelId"/>'s, for a completion) with its grants and the caller's reach,
    /// read once for one request's questions, and afresh for the next: a revoked grant stops the next request.
    /// </summary>
    public async Task<ModelView> ForAsync(CurrentUser caller, CancellationToken cancellationToken, string? modelId = null)
    {
        var rows = modelId is null
            ? await models.ListAsync(cancellationToken)
            : await models.GetAsync(modelId, cancellationToken) is { } row ? [row] : [];
        var grants = await models.GrantsAsync(modelId, cancellationToken);
        var reach = await permissions.ReachAsync(caller.Id, cancellationToken);
        return new ModelView(caller, rows.ToDictionary(r => r.Id), grants, reach, options.Value);
    }
}

internal sealed class ModelView(CurrentUser caller, IReadOnlyDictionary<string, WorkspaceModelRow> entries,
    ILookup<string, AccessGrant> grants, AccessReach reach, CompletionOptions options)
{
    public IEnumerable<WorkspaceModelRow> Entries => entries.Values;

    public IEnumerable<AccessGrant> GrantsOf(string id) => grants[id];

    public WorkspaceModelRow? Entry(string id) => entries.GetValueOrDefault(id);

    private bool AdminBypass => caller.IsAdmin && options.BypassAdminAccessControl;

    /// <summary>Changing an entry: its owner, a writer, or an admin (upstream lets admins whatever the bypass).</summary>
    public bool MayWrite(WorkspaceModelRow row) => caller.IsAdmin || row.UserId == caller.Id || reach.Allows(grants[row.Id], AccessGrant.Write);

    /// <summary>Seeing an entry in the workspace: writers, readers, and admins under the bypass.</summary>
    public bool MayRead(WorkspaceModelRow row) => AdminBypass || row.UserId == caller.Id || reach.Allows(grants[row.Id], AccessGrant.Read);

    /// <summary>Whether the caller may list and chat with <paramref name="modelId"/>.</summary>
    public bool MayUse(string modelId)
    {
        var entry = Entry(modelId);
        if (AdminBypass)
        {
            return true;
        }
        if (entry is not null && !entry.IsActive)
        {
            return false;
        }
        return options.BypassModelAccessControl || (entry is not null && MayRead(entry));
    }
}
