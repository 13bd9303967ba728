using System.Text.Json.Nodes;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

internal sealed record UserStatusForm(string? StatusEmoji = null, string? StatusMessage = null, long? StatusExpiresAt = null);

/// <summary>
/// A user's own account under <c>/api/v1/users/user/...</c> (Open WebUI 0.11): settings and info (objects the
/// clients own, updated key by key at the top level), status, and anyone's profile image.
/// </summary>
internal static class AccountApi
{
    public static void MapAccount(this RouteGroupBuilder group)
    {
        group.MapGet("/user/settings", (CurrentUser caller, UserDetailsStore details, CancellationToken ct) =>
            JsonOf(details, caller.Id, d => d.Settings, ct)).RequireAuthorization().WithName("GetMySettings").WithSummary("The caller's settings");
        group.MapPost("/user/settings/update", UpdateSettings).RequireAuthorization().WithName("UpdateMySettings").WithSummary("Replace the caller's settings");
        group.MapGet("/user/export", AccountExport.Download).RequireAuthorization().WithName("ExportMyData")
            .WithSummary("Everything Hearth keeps of the caller, as one zip (chats, folders, settings, stored data, files)").Produces(StatusCodes.Status200OK, null, "application/zip");
        group.MapGet("/user/info", (CurrentUser caller, UserDetailsStore details, CancellationToken ct) =>
            JsonOf(details, caller.Id, d => d.Info, ct)).RequireAuthorization().WithName("GetMyInfo").WithSummary("The caller's info object");
        group.MapPost("/user/info/update", async (JsonObject form, CurrentUser caller, UserDetailsStore details, CancellationToken ct) =>
            TypedResults.Ok(await details.MergeAsync(caller.Id, UserJsonField.Info, form, ct))).RequireAuthorization().WithName("UpdateMyInfo").WithSummary("Merge fields into the caller's info object");
        group.MapGet("/user/status", GetStatus).RequireAuthorization().WithName("GetMyStatus").WithSummary("The caller's status");
        group.MapPost("/user/status/update", UpdateStatus).RequireAuthorization().WithName("UpdateMyStatus").WithSummary("Change the caller's status");
        group.MapGet("/usage", UsageHandlers.Get).RequireAuthorization().WithName("GetMyUsage").WithSummary("The caller's token usage over a period").Answers(400);
        group.MapGet("/{id}/profile/image", ProfileImageHandlers.Get).RequireAuthorization().WithName("GetProfileImage").WithSummary("A user's profile picture").Produces(StatusCodes.Status200OK, null, "image/png", "image/jpeg", "image/gif", "image/webp").Answers(400, 404);
    }

    private static async Task<IResult> JsonOf(UserDetailsStore details, string userId, Func<UserDetailsRow, string?> pick,
        CancellationToken cancellationToken) =>
        pick(await details.GetAsync(userId, cancellationToken)) is { } text
            ? TypedResults.Text(text, "application/json")
            : TypedResults.Text("null", "application/json");

    /// <summary>Users need <c>settings.interface</c> (403, as upstream); admins may always.</summary>
    public static async Task<Results<Ok<JsonObject>, JsonHttpResult<ErrorBody>>> UpdateSettings(JsonObject form, CurrentUser caller,
        UserDetailsStore details, UserPermissions permissions, CancellationToken cancellationToken)
    {
        if (!await permissions.GrantsAsync(caller, "settings.interface", cancellationToken))
        {
            return Errors.Forbidden(ErrorMessages.AccessProhibited);
        }
        return TypedResults.Ok(await details.MergeAsync(caller.Id, UserJsonField.Settings, form, cancellationToken));
    }

    public static async Task<Results<Ok<UserModel>, JsonHttpResult<ErrorBody>>> GetStatus(CurrentUser caller, UserStore users,
        UserDetailsStore details, IOptions<AuthOptions> auth, CancellationToken cancellationToken) =>
        !auth.Value.EnableUserStatus ? Errors.Forbidden(ErrorMessages.ActionProhibited)
        : await users.GetAsync(caller.Id, cancellationToken) is { } user
            ? TypedResults.Ok(UserModel.From(user, await details.GetAsync(caller.Id, cancellationToken)))
            : Errors.BadRequest(ErrorMessages.NotFound);

    /// <summary>Sets the fields posted (the others stay) and answers the user with them.</summary>
    public static async Task<Results<Ok<UserModel>, JsonHttpResult<ErrorBody>>> UpdateStatus(UserStatusForm form, CurrentUser caller,
        UserStore users, UserDetailsStore details, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (!auth.Value.EnableUserStatus)
        {
            return Errors.Forbidden(ErrorMessages.ActionProhibited);
        }
        var row = await details.ChangeAsync(caller.Id, d =>
        {
            d.StatusEmoji = form.StatusEmoji ?? d.StatusEmoji;
            d.StatusMessage = form.StatusMessage ?? d.StatusMessage;
            d.StatusExpiresAt = form.StatusExpiresAt ?? d.StatusExpiresAt;
            return d;
        }, cancellationToken);
        return await users.GetAsync(caller.Id, cancellationToken) is { } user
            ? TypedResults.Ok(UserModel.From(user, row))
            : Errors.BadRequest(ErrorMessages.NotFound);
    }
}
