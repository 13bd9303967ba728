using Hearth.Server.Audit;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>Admin-only parts of <c>/api/v1/auths</c>: adding users and the run-time server settings.</summary>
internal static class AuthAdminApi
{
    public static void MapAdminAuth(this RouteGroupBuilder group)
    {
        group.MapPost("/add", AddUser).RequireAuthorization(AuthSetup.Admin).WithName("AddUser").WithSummary("Add a user (admins)").Answers(400).Audited("user.add", AuthAudit.Added);
        group.MapGet("/admin/config", GetConfig).RequireAuthorization(AuthSetup.Admin).WithName("GetAdminConfig").WithSummary("Sign-up and sharing settings (admins)");
        group.MapPost("/admin/config", UpdateConfig).RequireAuthorization(AuthSetup.Admin).WithName("UpdateAdminConfig").WithSummary("Change sign-up and sharing settings (admins)").Audited("admin.config.update");
    }

    public static async Task<Results<Ok<SessionUserResponse>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> AddUser(
        AddUserForm form, HttpContext http, UserStore users, SessionIssuer sessions, IOptions<AuthOptions> auth, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var role = form.Role ?? Roles.Pending;
        if (!Roles.IsValid(role))
        {
            return Errors.BadRequest(ErrorMessages.InvalidRole);
        }
        if (NewUser.Check(form.Email, form.Password, auth.Value) is { } problem)
        {
            return Errors.BadRequest(problem);
        }
        if (ProfileImages.Check(form.ProfileImageUrl, auth.Value.ProfileImageMaxDataUriSize) is { } badImage)
        {
            return badImage;
        }
        var row = NewUser.Row(form.Name, form.Email, form.Password, role, form.ProfileImageUrl, clock);
        var (outcome, user) = await users.RegisterAsync(row, signupOpen: true, onFirstUser: null, cancellationToken);
        if (outcome == Registration.EmailTaken)
        {
            return Errors.BadRequest(ErrorMessages.EmailTaken);
        }
        return await sessions.IssueAsync(http, user!, setCookie: false, cancellationToken) is { } session
            ? TypedResults.Ok(session)
            : Errors.BadRequest(ErrorMessages.InvalidCredentials);
    }

    public static async Task<Ok<AdminConfig>> GetConfig(RuntimeSettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.GetConfigAsync(cancellationToken));

    public static async Task<Results<Ok<AdminConfig>, JsonHttpResult<ValidationErrorBody>>> UpdateConfig(
        AdminConfigForm form, RuntimeSettings settings, CancellationToken cancellationToken) =>
        form.Invalid() is { } field
            ? Errors.Invalid(field, ErrorMessages.InvalidSetting(field), null)
            : TypedResults.Ok(await settings.UpdateConfigAsync(form, cancellationToken));
}
