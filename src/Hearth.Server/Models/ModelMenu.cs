using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Hearth.Server.Completions;

namespace Hearth.Server.Models;

/// <summary>A model the caller may use: the connection that serves it, its workspace entry if any, and the id the model server knows.</summary>
internal sealed record ModelChoice(ModelConnection Connection, WorkspaceModelRow? Entry, string UpstreamId);

/// <summary>
/// The models a caller may use (<c>/api/models</c>) and the one a completion names: the connections' models with
/// their workspace entries laid over them (a name, parameters), plus entries of their own id over a base model.
/// </summary>
internal sealed class ModelMenu(ModelCatalog catalog, ModelAccess access)
{
    public async Task<ModelList> ListAsync(CurrentUser caller, CancellationToken cancellationToken)
    {
        var list = await catalog.ListAsync(cancellationToken);
        var view = await access.ForAsync(caller, cancellationToken);
        var served = list.Data.Select(m => m.Id).ToHashSet();
        var models = new List<ModelInfo>();
        foreach (var model in list.Data.Where(m => view.MayUse(m.Id)))
        {
            var entry = view.Entry(model.Id);
            models.Add(entry is null ? model : model with { Name = entry.Name, Info = Describe(entry, view) });
        }
        foreach (var entry in view.Entries.Where(e => e.BaseModelId is not null && !served.Contains(e.Id) && view.MayUse(e.Id)))
        {
            if (list.Data.FirstOrDefault(m => m.Id == entry.BaseModelId) is { } baseModel)
            {
                models.Add(new ModelInfo(entry.Id, entry.Name, baseModel.OwnedBy, baseModel.Connection, entry.CreatedAt, Describe(entry, view)));
            }
        }
        return new ModelList(models, list.Errors);
    }

    /// <summary>One model as <see cref="ListAsync"/> lists it; one it does not list is looked for again, for those who may use it.</summary>
    /// <exception cref="UpstreamFailure">The model may be on a connection that is down.</exception>
    public async Task<ModelInfo?> FindAsync(CurrentUser caller, string model, CancellationToken cancellationToken)
    {
        if ((await ListAsync(caller, cancellationToken)).Data.FirstOrDefault(m => m.Id == model) is { } listed)
        {
            return listed;
        }
        var view = await access.ForAsync(caller, cancellationToken, model);
        return view.MayUse(model) && view.Entry(model) is null ? await catalog.FindAsync(model, cancellationToken) : null;
    }

    /// <summary>The model a completion names, or null when the caller may not use it or no connection serves it.</summary>
    /// <exception cref="UpstreamFailure">The model (or its base) may be on a connection that is down.</exception>
    public async Task<ModelChoice?> ChooseAsync(CurrentUser caller, string model, CancellationToken cancellationToken)
    {
        var view = await access.ForAsync(caller, cancellationToken, model);
        if (!view.MayUse(model))
        {
            return null;
        }
        var entry = view.Entry(model);
        var upstreamId = entry?.BaseModelId ?? model;
        return await catalog.ResolveAsync(upstreamId, cancellationToken) is { } connection ? new ModelChoice(connection, entry, upstreamId) : null;
    }

    /// <summary>The entry as <c>info</c>; its parameters (a curated system prompt) only for those who may change it, as upstream strips them.</summary>
    private static JsonObject Describe(WorkspaceModelRow entry, ModelView view)
    {
        var wire = WorkspaceModel.From(entry, view.GrantsOf(entry.Id));
        var info = JsonSerializer.SerializeToNode(view.MayWrite(entry) ? wire : wire with { Params = [] }, JsonSettings.Wire)!.AsObject();
        info.Remove("write_access");
        return info;
    }
}
