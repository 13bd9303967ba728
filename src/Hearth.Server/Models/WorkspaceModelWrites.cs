using System.Text.Json.Nodes;
using Hearth.Server.Access;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Models;

/// <summary>Creating, changing, sharing, switching and deleting workspace models, with upstream's checks in upstream's order.</summary>
internal static class WorkspaceModelWrites
{
    private const int MaxIdLength = 256;
    private const string PublicPermission = "sharing.public_models";

    /// <summary>
    /// Users need <c>workspace.models</c>. An entry with no <c>base_model_id</c> publishes a connection's own model
    /// under its id (upstream's harness does this to share a model with everyone): only admins may, since anyone
    /// else would gain a model they were refused. A user's entry must sit on a model they may use.
    /// </summary>
    public static async Task<IResult> Create(ModelForm form, CurrentUser caller, UserPermissions permissions, ModelAccess access,
        ModelMenu menu, WorkspaceModelStore models, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin && !await permissions.GrantsAsync(caller, "workspace.models", cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.Unauthorized);
        }
        var (grants, invalid) = AccessGrant.Parse(form.AccessGrants ?? new JsonArray());
        if (invalid is not null)
        {
            return invalid;
        }
        if (form.Id.Length is 0 or > MaxIdLength)
        {
            return Errors.BadRequest(ErrorMessages.ModelIdTooLong);
        }
        if (await BaseProblemAsync(form.BaseModelId, caller, menu, cancellationToken) is { } refused)
        {
            return refused;
        }
        var row = new WorkspaceModelRow
        {
            Id = form.Id, UserId = caller.Id, BaseModelId = form.BaseModelId, Name = form.Name,
            Params = (form.Params ?? []).ToJsonString(), Meta = (form.Meta ?? []).ToJsonString(), IsActive = form.IsActive ?? true,
        };
        var allowed = await AccessReach.AllowedAsync(grants!, caller, permissions, PublicPermission, cancellationToken);
        if (!await models.CreateAsync(row, allowed, cancellationToken))
        {
            return Errors.Unauthorized(ErrorMessages.ModelIdTaken);
        }
        return await AnswerAsync(row.Id, caller, access, cancellationToken);
    }

    /// <summary>Fields not posted keep their value (a base model is never removed); posted grants replace the old ones.</summary>
    public static async Task<IResult> Update(ModelForm form, CurrentUser caller, UserPermissions permissions, ModelAccess access,
        ModelMenu menu, WorkspaceModelStore models, CancellationToken cancellationToken)
    {
        var view = await access.ForAsync(caller, cancellationToken, form.Id);
        if (view.Entry(form.Id) is not { } row)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        if (!view.MayWrite(row))
        {
            return Errors.BadRequest(ErrorMessages.AccessProhibited);
        }
        IReadOnlyList<AccessGrant>? grants = null;
        if (form.AccessGrants is not null)
        {
            var (parsed, invalid) = AccessGrant.Parse(form.AccessGrants);
            if (invalid is not null)
            {
                return invalid;
            }
            grants = await AccessReach.AllowedAsync(parsed!, caller, permissions, PublicPermission, cancellationToken);
        }
        if (form.BaseModelId is not null && form.BaseModelId != row.BaseModelId
            && await BaseProblemAsync(form.BaseModelId, caller, menu, cancellationToken) is { } refused)
        {
            return refused;
        }
        row.Name = form.Name;
        row.BaseModelId = form.BaseModelId ?? row.BaseModelId;
        row.Params = form.Params?.ToJsonString() ?? row.Params;
        row.Meta = form.Meta?.ToJsonString() ?? row.Meta;
        row.IsActive = form.IsActive ?? row.IsActive;
        return await models.UpdateAsync(row, grants, cancellationToken)
            ? await AnswerAsync(row.Id, caller, access, cancellationToken)
            : Errors.Unauthorized(ErrorMessages.NotFound);
    }

    /// <summary>
    /// Replaces the grants. A connection's model without an entry gets one on the way when an admin shares it
    /// (named <c>name</c>, or its id), as upstream does; a user may not make one this way.
    /// </summary>
    public static async Task<IResult> UpdateAccess(ModelAccessForm form, CurrentUser caller, UserPermissions permissions, ModelAccess access,
        WorkspaceModelStore models, CancellationToken cancellationToken)
    {
        var (parsed, invalid) = AccessGrant.Parse(form.AccessGrants);
        if (invalid is not null)
        {
            return invalid;
        }
        if (form.Id.Length is 0 or > MaxIdLength)
        {
            return Errors.BadRequest(ErrorMessages.ModelIdTooLong);
        }
        var grants = await AccessReach.AllowedAsync(parsed!, caller, permissions, PublicPermission, cancellationToken);
        var view = await access.ForAsync(caller, cancellationToken, form.Id);
        if (view.Entry(form.Id) is not { } row)
        {
            if (!caller.IsAdmin)
            {
                return Errors.Forbidden(ErrorMessages.AccessProhibited);
            }
            var made = new WorkspaceModelRow { Id = form.Id, UserId = caller.Id, Name = form.Name ?? form.Id };
            // Made meanwhile by another request: its grants are set as an update's would be.
            if (!await models.CreateAsync(made, grants, cancellationToken) && !await ReplaceGrantsAsync(form.Id, grants, models, cancellationToken))
            {
                return Errors.Unauthorized(ErrorMessages.NotFound);
            }
            return await AnswerAsync(form.Id, caller, access, cancellationToken);
        }
        if (!view.MayWrite(row))
        {
            return Errors.BadRequest(ErrorMessages.AccessProhibited);
        }
        return await models.UpdateAsync(row, grants, cancellationToken)
            ? await AnswerAsync(row.Id, caller, access, cancellationToken)
            : Errors.Unauthorized(ErrorMessages.NotFound);
    }

    private static async Task<bool> ReplaceGrantsAsync(string id, IReadOnlyList<AccessGrant> grants, WorkspaceModelStore models,
        CancellationToken cancellationToken) =>
        await models.GetAsync(id, cancellationToken) is { } row && await models.UpdateAsync(row, grants, cancellationToken);

    public static async Task<IResult> Toggle(string id, CurrentUser caller, ModelAccess access, WorkspaceModelStore models,
        CancellationToken cancellationToken)
    {
        var view = await access.ForAsync(caller, cancellationToken, id);
        if (view.Entry(id) is not { } row)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        if (!view.MayWrite(row))
        {
            return Errors.Unauthorized(ErrorMessages.Unauthorized);
        }
        row.IsActive = !row.IsActive;
        return await models.UpdateAsync(row, null, cancellationToken)
            ? await AnswerAsync(id, caller, access, cancellationToken)
            : Errors.Unauthorized(ErrorMessages.NotFound);
    }

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Delete(string id, CurrentUser caller, ModelAccess access,
        WorkspaceModelStore models, CancellationToken cancellationToken)
    {
        var view = await access.ForAsync(caller, cancellationToken, id);
        if (view.Entry(id) is not { } row)
        {
            return Errors.Unauthorized(ErrorMessages.NotFound);
        }
        if (!view.MayWrite(row))
        {
            return Errors.Unauthorized(ErrorMessages.Unauthorized);
        }
        return TypedResults.Ok(await models.DeleteAsync(id, cancellationToken));
    }

    /// <summary>Null when the caller may put an entry on <paramref name="baseModelId"/> (none: admins only).</summary>
    private static async Task<IResult?> BaseProblemAsync(string? baseModelId, CurrentUser caller, ModelMenu menu, CancellationToken cancellationToken)
    {
        if (caller.IsAdmin)
        {
            return null;
        }
        if (baseModelId is null)
        {
            return Errors.BadRequest(ErrorMessages.ModelEntryNeedsBase);
        }
        try
        {
            return await menu.ChooseAsync(caller, baseModelId, cancellationToken) is null ? Errors.BadRequest(ErrorMessages.ModelNotFound) : null;
        }
        catch (Completions.UpstreamFailure failure)
        {
            return Errors.Status(failure.Status, failure.Message);
        }
    }

    private static async Task<IResult> AnswerAsync(string id, CurrentUser caller, ModelAccess access, CancellationToken cancellationToken)
    {
        var view = await access.ForAsync(caller, cancellationToken, id);
        return view.Entry(id) is { } row
            ? TypedResults.Ok(WorkspaceModelsApi.Describe(row, view) with { WriteAccess = null })
            : Errors.Unauthorized(ErrorMessages.NotFound);
    }
}
