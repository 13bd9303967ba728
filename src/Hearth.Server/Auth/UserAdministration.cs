using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Auth;

/// <summary>Changing and deleting users, with the rules that keep an instance administrable.</summary>
internal static class UserAdministration
{
    public static async Task<Results<Ok<UserModel>, JsonHttpResult<ErrorBody>>> Update(
        string id, UserUpdateForm form, CurrentUser caller, UserStore users, CredentialStore credentials,
        TimeProvider clock, CancellationToken cancellationToken)
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
        if (user.IsFirstUser && caller.Id != user.Id && form.Role is not null && form.Role != user.Role)
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
        var demoted = form.Role is not null && Roles.Rank(form.Role) < Roles.Rank(user.Role);
        user.Role = form.Role ?? user.Role;
        user.Name = string.IsNullOrWhiteSpace(form.Name) ? user.Name : form.Name.Trim();
        user.Email = form.Email is null ? user.Email : SessionIssuer.NormaliseEmail(form.Email);
        user.ProfileImageUrl = form.ProfileImageUrl ?? user.ProfileImageUrl;
        user.PasswordHash = form.Password is null ? user.PasswordHash : Secrets.HashPassword(form.Password);
        user.UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds();
        if (!await users.UpdateAsync(user, cancellationToken))
        {
            return Errors.BadRequest(ErrorMessages.EmailTaken);
        }
        if (demoted || form.Password is not null)
        {
            // Tokens carry no role, but a demoted or re-passworded user must sign in again.
            await credentials.RevokeSessionsAsync(user.Id, keepSessionId: null, cancellationToken);
        }
        return TypedResults.Ok(UserModel.From(user));
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
        return TypedResults.Ok(await users.DeleteAsync(id, cancellationToken));
    }
}
