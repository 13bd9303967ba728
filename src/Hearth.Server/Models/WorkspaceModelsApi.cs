using Hearth.Server.Access;
using Hearth.Server.Audit;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Models;

/// <summary>
/// <c>/api/v1/models</c>, Open WebUI 0.11's workspace models: entries over a connection's models with a name,
/// parameters and meta, shared by access grants. Statuses and texts are upstream's, 401s for a missing entry included.
/// </summary>
internal static class WorkspaceModelsApi
{
    public const int PageSize = 30;

    public static RouteGroupBuilder MapWorkspaceModels(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/models").WithTags("Models").RequireAuthorization();
        group.MapGet("/", List).WithName("ListWorkspaceModels").WithSummary("Workspace models the caller may read");
        group.MapGet("/list", Page).WithName("PageWorkspaceModels").WithSummary("A page of workspace models, searchable");
        group.MapPost("/create", WorkspaceModelWrites.Create).WithName("CreateWorkspaceModel").WithSummary("Create a workspace model").Produces<WorkspaceModel>().Answers(400).Audited("model.create", Audited);
        group.MapGet("/model", Get).WithName("GetWorkspaceModel").WithSummary("One workspace model").Answers(404);
        group.MapPost("/model/update", WorkspaceModelWrites.Update).WithName("UpdateWorkspaceModel").WithSummary("Change a workspace model").Produces<WorkspaceModel>().Answers(400, 404).Audited("model.update", Audited);
        group.MapPost("/model/access/update", WorkspaceModelWrites.UpdateAccess).WithName("UpdateWorkspaceModelAccess").WithSummary("Replace who may use a workspace model").Produces<WorkspaceModel>().Answers(400, 404).Audited("model.access.update", Audited);
        group.MapPost("/model/toggle", WorkspaceModelWrites.Toggle).WithName("ToggleWorkspaceModel").WithSummary("Turn a workspace model on or off").Produces<WorkspaceModel>();
        // 0.11's web client posts {"id"}; older clients send DELETE with ?id=.
        group.MapPost("/model/delete", (ModelIdForm form, CurrentUser caller, ModelAccess access, WorkspaceModelStore models, CancellationToken ct) =>
            WorkspaceModelWrites.Delete(form.Id, caller, access, models, ct)).WithName("DeleteWorkspaceModel").WithSummary("Delete a workspace model (form body)").Audited("model.delete", Audited);
        group.MapDelete("/model/delete", WorkspaceModelWrites.Delete).WithName("DeleteWorkspaceModelById").WithSummary("Delete a workspace model").Answers(404).Audited("model.delete", Audited);
        return group;
    }

    /// <summary>A model's id is in the body (or <c>?id=</c> of the old delete), not the route.</summary>
    private static AuditRecord Audited(AuditCall call, AuditRecord record) => record with
    {
        Target = new AuditTarget("model", call.Argument<ModelForm>()?.Id ?? call.Argument<ModelAccessForm>()?.Id
            ?? call.Argument<ModelIdForm>()?.Id ?? call.Http.Request.Query["id"].FirstOrDefault()),
    };

    /// <summary>The entries the caller may read (admins: all, while BYPASS_ADMIN_ACCESS_CONTROL is on), each with <c>write_access</c>.</summary>
    public static async Task<Ok<List<WorkspaceModel>>> List(CurrentUser caller, ModelAccess access, CancellationToken cancellationToken) =>
        TypedResults.Ok(Readable(await access.ForAsync(caller, cancellationToken)).ToList());

    /// <summary>0.11's paged list (<c>{"items","total"}</c>, 30 a page), searching ids and names with <c>query</c>.</summary>
    public static async Task<Ok<WorkspaceModelPage>> Page(CurrentUser caller, ModelAccess access, CancellationToken cancellationToken,
        string? query = null, int? page = null)
    {
        var matching = Readable(await access.ForAsync(caller, cancellationToken))
            .Where(m => string.IsNullOrEmpty(query) || m.Id.Contains(query, StringComparison.OrdinalIgnoreCase)
                || m.Name.Contains(query, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var items = matching.Skip(Paging.Skip(page, PageSize)).Take(PageSize).ToList();
        return TypedResults.Ok(new WorkspaceModelPage(items, matching.Count));
    }

    private static IEnumerable<WorkspaceModel> Readable(ModelView view) =>
        view.Entries.Where(view.MayRead).Select(e => Describe(e, view));

    /// <summary>A reader sees the entry without its params (a curated system prompt), as upstream strips them.</summary>
    internal static WorkspaceModel Describe(WorkspaceModelRow row, ModelView view)
    {
        var writable = view.MayWrite(row);
        var model = WorkspaceModel.From(row, view.GrantsOf(row.Id), writable);
        return writable ? model : model with { Params = [] };
    }

    public static async Task<Results<Ok<WorkspaceModel>, JsonHttpResult<ErrorBody>>> Get(string id, CurrentUser caller, ModelAccess access,
        CancellationToken cancellationToken)
    {
        var view = await access.ForAsync(caller, cancellationToken, id);
        if (view.Entry(id) is not { } row)
        {
            return Errors.NotFound();
        }
        return view.MayRead(row) || view.MayWrite(row) ? TypedResults.Ok(Describe(row, view)) : Errors.Unauthorized(ErrorMessages.AccessProhibited);
    }
}
