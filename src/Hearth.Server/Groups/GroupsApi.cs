using System.Text.Json.Nodes;
using Hearth.Server.Audit;
using Hearth.Server.Auth;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Groups;

/// <summary>
/// <c>/api/v1/groups</c>, as Open WebUI 0.11's groups router: admins make, change and delete groups and their
/// members; a user lists the groups they are in and resolves any group's name.
/// </summary>
internal static class GroupsApi
{
    public static RouteGroupBuilder MapGroups(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/groups").WithTags("Groups");
        group.MapGet("/", List).RequireAuthorization().WithName("ListGroups").WithSummary("List groups");
        group.MapPost("/create", Create).RequireAuthorization(AuthSetup.Admin).WithName("CreateGroup").WithSummary("Create a group (admins)")
            .Audited("group.create", (call, record) => record with { Target = call.Value is GroupResponse made ? new AuditTarget("group", made.Id) : null });
        group.MapGet("/id/{id}", Get).RequireAuthorization(AuthSetup.Admin).WithName("GetGroup").WithSummary("One group (admins)").Answers(404);
        group.MapGet("/id/{id}/info", Info).RequireAuthorization().WithName("GetGroupInfo").WithSummary("A group's name and member count");
        group.MapGet("/id/{id}/export", Export).RequireAuthorization(AuthSetup.Admin).WithName("ExportGroup").WithSummary("Export a group with its members (admins)");
        group.MapPost("/id/{id}/users", Members).RequireAuthorization(AuthSetup.Admin).WithName("ListGroupMembers").WithSummary("List a group's members (admins)");
        group.MapPost("/id/{id}/update", Update).RequireAuthorization(AuthSetup.Admin).WithName("UpdateGroup").WithSummary("Change a group (admins)").Answers(404).Audited("group.update");
        group.MapPost("/id/{id}/users/add", AddMembers).RequireAuthorization(AuthSetup.Admin).WithName("AddGroupMembers").WithSummary("Add users to a group (admins)").Answers(404).Audited("group.members.add", GroupMembers);
        group.MapPost("/id/{id}/users/remove", RemoveMembers).RequireAuthorization(AuthSetup.Admin).WithName("RemoveGroupMembers").WithSummary("Remove users from a group (admins)").Answers(404).Audited("group.members.remove", GroupMembers);
        group.MapDelete("/id/{id}/delete", Delete).RequireAuthorization(AuthSetup.Admin).WithName("DeleteGroup").WithSummary("Delete a group (admins)").Answers(404).Audited("group.delete");
        return group;
    }

    /// <summary>Members added or removed: the user ids are the change itself, so every level keeps them.</summary>
    private static AuditRecord GroupMembers(AuditCall call, AuditRecord record) =>
        record with { Details = new Dictionary<string, object?> { ["user_ids"] = call.Argument<UserIdsForm>()?.UserIds } };

    /// <summary>
    /// Admins see every group; a user the groups they are in. With <c>share</c> (the web client's sharing
    /// dialog), a user sees the groups anyone may share with (<c>data.config.share</c> absent or true) and those
    /// open to their members ("members") they are in; <c>share=false</c> the groups closed to sharing.
    /// </summary>
    public static async Task<Ok<List<GroupResponse>>> List(CurrentUser caller, GroupStore groups, CancellationToken cancellationToken,
        bool? share = null)
    {
        if (caller.IsAdmin)
        {
            return TypedResults.Ok((await groups.ListAsync(null, cancellationToken)).Select(GroupResponse.From).ToList());
        }
        if (share is null)
        {
            return TypedResults.Ok((await groups.ListAsync(caller.Id, cancellationToken)).Select(GroupResponse.From).ToList());
        }
        var mine = (await groups.ListAsync(caller.Id, cancellationToken)).Select(g => g.Id).ToHashSet();
        var listed = (await groups.ListAsync(null, cancellationToken)).Where(g => GroupSharing.Allows(g, share.Value, mine.Contains(g.Id)));
        return TypedResults.Ok(listed.Select(GroupResponse.From).ToList());
    }

    public static async Task<Results<Ok<GroupResponse>, JsonHttpResult<ValidationErrorBody>>> Create(GroupForm form, CurrentUser caller,
        GroupStore groups, CancellationToken cancellationToken) =>
        Problem(form) is { } invalid ? invalid : TypedResults.Ok(GroupResponse.From(await groups.CreateAsync(caller.Id, form, cancellationToken)));

    /// <summary>A group that does not exist is a 401 with upstream's not-found text, as Open WebUI 0.11 answers.</summary>
    public static async Task<Results<Ok<GroupResponse>, JsonHttpResult<ErrorBody>>> Get(string id, GroupStore groups,
        CancellationToken cancellationToken) =>
        await groups.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(GroupResponse.From(row)) : Missing();

    public static async Task<Results<Ok<GroupInfoResponse>, JsonHttpResult<ErrorBody>>> Info(string id, GroupStore groups,
        CancellationToken cancellationToken) =>
        await groups.GetAsync(id, cancellationToken) is { } row
            ? TypedResults.Ok(new GroupInfoResponse(row.Id, row.UserId, row.Name, row.Description, row.MemberCount, row.CreatedAt, row.UpdatedAt))
            : Missing();

    public static async Task<Results<Ok<GroupExportResponse>, JsonHttpResult<ErrorBody>>> Export(string id, GroupStore groups,
        CancellationToken cancellationToken)
    {
        if (await groups.GetAsync(id, cancellationToken) is not { } row)
        {
            return Missing();
        }
        var g = GroupResponse.From(row);
        return TypedResults.Ok(new GroupExportResponse(g.Id, g.UserId, g.Name, g.Description, g.Permissions, g.Data, g.Meta,
            g.CreatedAt, g.UpdatedAt, g.MemberCount, await groups.MemberIdsAsync(id, cancellationToken)));
    }

    public static async Task<Ok<IReadOnlyList<GroupMemberResponse>>> Members(string id, GroupStore groups, CancellationToken cancellationToken) =>
        TypedResults.Ok(await groups.MembersAsync(id, cancellationToken));

    public static async Task<Results<Ok<GroupResponse>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Update(
        string id, GroupForm form, GroupStore groups, CancellationToken cancellationToken)
    {
        if (Problem(form) is { } invalid)
        {
            return invalid;
        }
        return await groups.UpdateAsync(id, form, cancellationToken) is { } row ? TypedResults.Ok(GroupResponse.From(row)) : Errors.NotFound();
    }

    public static async Task<Results<Ok<GroupResponse>, JsonHttpResult<ErrorBody>>> AddMembers(string id, UserIdsForm form,
        GroupStore groups, CancellationToken cancellationToken) =>
        await groups.AddMembersAsync(id, form.UserIds ?? [], cancellationToken) is { } row ? TypedResults.Ok(GroupResponse.From(row)) : Errors.NotFound();

    public static async Task<Results<Ok<GroupResponse>, JsonHttpResult<ErrorBody>>> RemoveMembers(string id, UserIdsForm form,
        GroupStore groups, CancellationToken cancellationToken) =>
        await groups.RemoveMembersAsync(id, form.UserIds ?? [], cancellationToken) is { } row ? TypedResults.Ok(GroupResponse.From(row)) : Errors.NotFound();

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Delete(string id, GroupStore groups, CancellationToken cancellationToken) =>
        await groups.DeleteAsync(id, cancellationToken) ? TypedResults.Ok(true) : Errors.NotFound();

    private static JsonHttpResult<ErrorBody> Missing() => Errors.Unauthorized(ErrorMessages.NotFound);

    /// <summary>Group permissions have the default permissions' shape: known sections are objects of booleans.</summary>
    private static JsonHttpResult<ValidationErrorBody>? Problem(GroupForm form) =>
        form.Permissions is { } permissions && DefaultPermissions.Validate(permissions) is { } field
            ? Errors.Invalid($"permissions.{field}", ErrorMessages.PermissionsNotBool, null, "bool_type")
            : null;
}

/// <summary>Who may share with a group, from its <c>data.config.share</c> (Open WebUI: absent or true is anyone, "members" its members, false no one).</summary>
internal static class GroupSharing
{
    public static bool Allows(GroupRow group, bool share, bool member)
    {
        var setting = GroupResponse.Parse(group.Data)?["config"]?["share"] is JsonValue value ? Describe(value) : null;
        return share
            ? setting is null or "true" || (setting == "members" && member)
            : setting == "false";
    }

    private static string Describe(JsonValue value) =>
        value.TryGetValue<bool>(out var flag) ? (flag ? "true" : "false")
        : value.TryGetValue<string>(out var text) ? text.ToLowerInvariant()
        : value.ToJsonString();
}
