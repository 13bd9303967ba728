using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>Changing and deleting users, with the rules that keep an instance administrable.</summary>
internal static class UserAdministration
{
    public static async Task<Results<Ok<UserModel>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Update(
        string id, UserUpdateForm form, CurrentUser caller, UserStore users, CredentialStore credentials,
        IOptions<AuthOptions> auth, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(id, cancellationToken);
        if (user is null)
        {
            return Errors.NotFound();
        }
        if (form.Role is not null && !Roles.IsValid(form.Role))
        {
            return Errors.BadRequest(ErrorMessages.InvalidRole);
        }
        // As in Open WebUI: only the first admin changes their own account, and never away from admin, so the
        // instance always keeps an admin nobody else can lock out.
        if (user.IsFirstUser && caller.Id != user.Id)
        {
            return Errors.Forbidden(ErrorMessages.FirstAdminOnlyByThemself);
        }
        if (user.IsFirstUser && form.Role is not null && form.Role != Roles.Admin)
        {
            return Errors.Forbidden(ErrorMessages.CannotDemoteFirstAdmin);
        }
        if (form.Email is not null && !SessionIssuer.IsValidEmail(SessionIssuer.NormaliseEmail(form.Email)))
        {
            return Errors.BadRequest(ErrorMessages.InvalidEmailFormat);
        }
        if (form.Password is { Length: 0 })
        {
            return Errors.BadRequest(ErrorMessages.EmptyPassword);
        }
        if (form.Password is not null && PasswordRules.Problem(form.Password, auth.Value) is { } weak)
        {
            return Errors.BadRequest(weak);
        }
        if (ProfileImages.Check(form.ProfileImageUrl, auth.Value.ProfileImageMaxDataUriSize) is { } badImage)
        {
            return badImage;
        }
        var demoted = form.Role is not null && Roles.Rank(form.Role) < Roles.Rank(user.Role);
        var changes = new UserChanges
        {
            Role = form.Role,
            Name = string.IsNullOrWhiteSpace(form.Name) ? null : form.Name.Trim(),
            Email = form.Email is null ? null : SessionIssuer.NormaliseEmail(form.Email),
            ProfileImageUrl = form.ProfileImageUrl,
            PasswordHash = form.Password is null ? null : Secrets.HashPassword(form.Password),
            UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds(),
        };
        switch (await users.UpdateAsync(user.Id, changes, cancellationToken))
        {
            case UserUpdate.EmailTaken:
                return Errors.BadRequest(ErrorMessages.EmailTaken);
            case UserUpdate.LastAdmin:
                // Open WebUI has no such rule; without it the only admin could demote themself and nobody could administer Hearth.
                return Errors.Forbidden(ErrorMessages.LastAdminStays);
        }
        if (demoted || form.Password is not null)
        {
            // Tokens carry no role, but a demoted or re-passworded user must sign in again.
            await credentials.RevokeSessionsAsync(user.Id, keepSessionId: null, cancellationToken);
        }
        return await users.GetAsync(user.Id, cancellationToken) is { } updated
            ? TypedResults.Ok(UserModel.From(updated))
            : Errors.NotFound();
    }

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> Delete(
        string id, CurrentUser caller, UserStore users, CancellationToken cancellationToken)
    {
        if (id == caller.Id)
        {
            return Errors.Forbidden(ErrorMessages.CannotDeleteSelf);
        }
        var user = await users.GetAsync(id, cancellationToken);
        if (user is null)
        {
            return Errors.NotFound();
        }
        if (user.IsFirstUser)
        {
            return Errors.Forbidden(ErrorMessages.CannotDeleteFirstAdmin);
        }
        return await users.DeleteAsync(id, cancellationToken) switch
        {
            UserRemoval.LastAdmin => Errors.Forbidden(ErrorMessages.LastAdminStays),
            var outcome => TypedResults.Ok(outcome == UserRemoval.Deleted),
        };
    }
}
