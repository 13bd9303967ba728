using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Hearth.Server.Access;

namespace Hearth.Server.Models;

/// <summary>
/// What creating or updating a workspace model posts (Open WebUI's ModelForm). <c>meta</c> and <c>params</c>
/// default to empty objects; <c>access_grants</c> is read by <see cref="AccessGrant.Parse"/>.
/// </summary>
internal sealed record ModelForm(string Id, string Name, string? BaseModelId = null, JsonObject? Meta = null, JsonObject? Params = null,
    JsonNode? AccessGrants = null, bool? IsActive = null);

/// <summary>Replacing a model's grants (Open WebUI's ModelAccessGrantsForm); <c>name</c> names an entry made on the way.</summary>
internal sealed record ModelAccessForm(string Id, JsonNode? AccessGrants, string? Name = null);

internal sealed record ModelIdForm(string Id);

/// <summary>A workspace model on the wire (Open WebUI's ModelModel, with <c>write_access</c> where the route tells it).</summary>
internal sealed record WorkspaceModel(string Id, string UserId, string? BaseModelId, string Name, JsonObject Params, JsonObject Meta,
    IReadOnlyList<AccessGrant> AccessGrants, bool IsActive, long CreatedAt, long UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? WriteAccess = null)
{
    public static WorkspaceModel From(WorkspaceModelRow row, IEnumerable<AccessGrant> grants, bool? writeAccess = null) =>
        new(row.Id, row.UserId, row.BaseModelId, row.Name, Object(row.Params), Object(row.Meta), grants.ToList(), row.IsActive,
            row.CreatedAt, row.UpdatedAt, writeAccess);

    private static JsonObject Object(string json) => JsonNode.Parse(json) as JsonObject ?? [];
}

internal sealed record WorkspaceModelPage(IReadOnlyList<WorkspaceModel> Items, long Total);

/// <summary>A row of <c>workspace_models</c>; never sent on the wire.</summary>
internal sealed class WorkspaceModelRow
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? BaseModelId { get; set; }
    public string Name { get; set; } = "";
    public string Params { get; set; } = "{}";
    public string Meta { get; set; } = "{}";
    public bool IsActive { get; set; } = true;
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    public JsonObject ParamsObject => JsonNode.Parse(Params) as JsonObject ?? [];
}
