using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Audit;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Auth;

/// <summary><c>/api/v1/users</c>: admins list, read, change and delete users and set default permissions.</summary>
internal static class UsersApi
{
    public const int PageSize = 30;

    /// <summary>The shortest query a non-admin may find people by (<see cref="Search"/>).</summary>
    public const int ShortestSearch = 2;

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users").WithTags("Users");
        group.MapGet("/", List).RequireAuthorization(AuthSetup.Admin).WithName("ListUsers").Answers(StatusCodes.Status400BadRequest).WithSummary("List and search users (admins), paged");
        // Before /{id}: a literal segment wins over a parameter, so "search" is never read as a user id.
        group.MapGet("/search", Search).RequireAuthorization().WithName("SearchUsers").Answers(400, 403)
            .WithSummary("Find users to share with by name or email (anyone allowed to share with single users), paged");
        group.MapGet("/default/permissions", GetDefaultPermissions).RequireAuthorization(AuthSetup.Admin).WithName("GetDefaultPermissions").WithSummary("Default user permissions (admins)");
        group.MapPost("/default/permissions", SetDefaultPermissions).RequireAuthorization(AuthSetup.Admin).WithName("SetDefaultPermissions").WithSummary("Change default user permissions (admins)")
            .Audited("admin.permissions.update");
        group.MapGet("/permissions", GetMyPermissions).RequireAuthorization().WithName("GetMyPermissions").WithSummary("The caller's effective permissions");
        group.MapAccount();
        group.MapDelete("/user", AccountDeletion.DeleteOwn).RequireAuthorization().WithName("DeleteOwnAccount").WithSummary("Delete the caller's account and all their data").Answers(400)
            .Audited("user.delete_self", (call, record) => record with { Target = new AuditTarget("user", call.Argument<CurrentUser>()?.Id) });
        group.MapGet("/{id}", Get).RequireAuthorization().WithName("GetUser").WithSummary("One user (admins see everything; others a name and picture)").Answers(400, 404);
        group.MapPost("/{id}/update", UserAdministration.Update).RequireAuthorization(AuthSetup.Admin).WithName("UpdateUser").WithSummary("Change a user's role, name, email or password (admins)").Answers(400, 404)
            .Audited("user.update", AuthAudit.Updated);
        group.MapDelete("/{id}", UserAdministration.Delete).RequireAuthorization(AuthSetup.Admin).WithName("DeleteUser").WithSummary("Delete a user and their data (admins)").Answers(404).Audited("user.delete");
        return group;
    }

    public static async Task<Results<Ok<UserListResponse>, JsonHttpResult<ErrorBody>>> List(
        UserStore users, CancellationToken cancellationToken, string? query = null,
        [FromQuery(Name = "order_by")] string? orderBy = null, string? direction = null, int? page = null)
    {
        var column = orderBy ?? "created_at";
        var dir = (direction ?? "desc").ToLowerInvariant();
        if (!UserStore.SortableColumns.Contains(column) || dir is not ("asc" or "desc"))
        {
            return Errors.BadRequest(ErrorMessages.BadOrdering(column, dir));
        }
        var number = Math.Max(page ?? 1, 1);
        var (rows, total) = await users.ListAsync(query, column, dir == "desc", Paging.Skip(number, PageSize), PageSize, cancellationToken);
        return TypedResults.Ok(new UserListResponse(rows.Select(r => UserModel.From(r)).ToList(), total));
    }

    /// <summary>
    /// Open WebUI's <c>GET /users/search</c>, which its share and access dialogs use to find people: a user's id, name, email
    /// and picture, 30 a page. Only for those who may grant to single users (<c>access_grants.allow_users</c>, as the
    /// grants themselves): nobody else needs to know who is on the server. For them it finds people, it does not list
    /// the server: a query of at least <see cref="ShortestSearch"/> characters, and accounts awaiting approval left out.
    /// </summary>
    public static async Task<Results<Ok<UserSearchResponse>, JsonHttpResult<ErrorBody>>> Search(CurrentUser caller, UserStore users,
        UserPermissions permissions, CancellationToken cancellationToken, string? query = null,
        [FromQuery(Name = "order_by")] string? orderBy = null, string? direction = null, int? page = null)
    {
        if (!caller.IsAdmin && !await permissions.GrantsAsync(caller, "access_grants.allow_users", cancellationToken))
        {
            return Errors.Forbidden(ErrorMessages.MayNotShareWithUsers);
        }
        var column = orderBy ?? "name";
        var dir = (direction ?? "asc").ToLowerInvariant();
        if (column is not ("name" or "email" or "created_at") || dir is not ("asc" or "desc"))
        {
            return Errors.BadRequest(ErrorMessages.BadOrdering(column, dir));
        }
        if (!caller.IsAdmin && (query?.Trim().Length ?? 0) < ShortestSearch)
        {
            return TypedResults.Ok(new UserSearchResponse([], 0));
        }
        var number = Math.Max(page ?? 1, 1);
        var (rows, total) = await users.ListAsync(query, column, dir == "desc", Paging.Skip(number, PageSize), PageSize, cancellationToken,
            withoutPending: !caller.IsAdmin);
        return TypedResults.Ok(new UserSearchResponse(rows.Select(r => new UserCard(r.Id, r.Name, r.Email, r.ProfileImageUrl)).ToList(), total));
    }

    /// <summary>
    /// Admins see the whole user with the groups they are in (<c>groups</c>: ids and names); others see only
    /// what a chat UI shows next to a name. A user that does not exist (or no longer does) is a 400, as in Open WebUI 0.11.
    /// </summary>
    public static async Task<Results<Ok<JsonObject>, Ok<UserSummary>, JsonHttpResult<ErrorBody>>> Get(
        string id, CurrentUser caller, UserStore users, Groups.GroupStore groups, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(id, cancellationToken);
        if (user is null)
        {
            return Errors.BadRequest(ErrorMessages.NotFound);
        }
        if (!caller.IsAdmin)
        {
            return TypedResults.Ok(new UserSummary(user.Id, user.Name, user.ProfileImageUrl));
        }
        var body = JsonSerializer.SerializeToNode(UserModel.From(user), JsonSettings.Wire)!.AsObject();
        var memberships = await groups.MembershipsAsync(user.Id, cancellationToken);
        body["groups"] = JsonSerializer.SerializeToNode(memberships.Select(g => new Groups.GroupName(g.Id, g.Name)), JsonSettings.Wire);
        return TypedResults.Ok(body);
    }

    public static async Task<Ok<JsonObject>> GetDefaultPermissions(RuntimeSettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.GetPermissionsAsync(cancellationToken));

    /// <summary>The caller's effective permissions: the defaults with their groups' added.</summary>
    public static async Task<Ok<JsonObject>> GetMyPermissions(CurrentUser caller, UserPermissions permissions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await permissions.OfAsync(caller.Id, cancellationToken));

    public static async Task<Results<Ok<JsonObject>, JsonHttpResult<ValidationErrorBody>>> SetDefaultPermissions(
        JsonObject permissions, RuntimeSettings settings, CancellationToken cancellationToken) =>
        DefaultPermissions.Validate(permissions) is { } field
            ? Errors.Invalid(field, ErrorMessages.PermissionNotBoolean, null, "bool_type")
            : TypedResults.Ok(await settings.UpdatePermissionsAsync(permissions, cancellationToken));
}
