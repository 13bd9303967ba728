using System.Text.Json.Nodes;

namespace Hearth.Server.Groups;

/// <summary>What creating or updating a group posts (Open WebUI's GroupForm); name and description are required.</summary>
internal sealed record GroupForm(string Name, string Description, JsonObject? Permissions = null, JsonObject? Data = null);

/// <summary>The members to add or remove (Open WebUI's UserIdsForm).</summary>
internal sealed record UserIdsForm(IReadOnlyList<string>? UserIds = null);

/// <summary>A group as admins and members see it (Open WebUI's GroupResponse).</summary>
internal sealed record GroupResponse(string Id, string UserId, string Name, string Description, JsonObject? Permissions,
    JsonObject? Data, JsonObject? Meta, long CreatedAt, long UpdatedAt, long MemberCount)
{
    public static GroupResponse From(GroupRow row) =>
        new(row.Id, row.UserId, row.Name, row.Description, Parse(row.Permissions), Parse(row.Data), Parse(row.Meta),
            row.CreatedAt, row.UpdatedAt, row.MemberCount);

    internal static JsonObject? Parse(string? json) => json is null ? null : JsonNode.Parse(json) as JsonObject;
}

/// <summary>An admin's export: the group with its members' ids.</summary>
internal sealed record GroupExportResponse(string Id, string UserId, string Name, string Description, JsonObject? Permissions,
    JsonObject? Data, JsonObject? Meta, long CreatedAt, long UpdatedAt, long MemberCount, IReadOnlyList<string> UserIds);

/// <summary>
/// What any signed-in user may learn of a group (Open WebUI's GroupInfoResponse): an access list names groups
/// the viewer may not be in, so its name resolves, while its members and permissions stay with the admins.
/// </summary>
internal sealed record GroupInfoResponse(string Id, string UserId, string Name, string Description, long MemberCount,
    long CreatedAt, long UpdatedAt);

/// <summary>A member as the admin's member list shows them (Open WebUI's UserInfoResponse).</summary>
internal sealed record GroupMemberResponse(string Id, string Name, string Email, string Role, string ProfileImageUrl);

/// <summary>A group a user belongs to, as <c>GET /api/v1/users/{id}</c> names it.</summary>
internal sealed record GroupName(string Id, string Name);

/// <summary>A row of <c>user_groups</c> with its member count; never sent on the wire.</summary>
internal sealed class GroupRow
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string? Permissions { get; set; }
    public string? Data { get; set; }
    public string? Meta { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long MemberCount { get; set; }
}
