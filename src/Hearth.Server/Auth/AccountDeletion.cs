using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Server.Auth;

/// <summary>DELETE <c>/api/v1/users/user</c>: the password confirms it.</summary>
internal sealed record DeleteAccountForm(string Password);

/// <summary>
/// A user deletes their own account and everything of theirs (chats, files, shares, keys, settings) in one step,
/// confirming with their password. The app downloads everything first (<see cref="AccountExport"/>, README,
/// "Leaving"). The last admin is refused, so a Hearth is never left without one.
/// </summary>
internal static class AccountDeletion
{
    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> DeleteOwn(
        [FromBody] DeleteAccountForm form, CurrentUser caller, UserStore users, CancellationToken cancellationToken)
    {
        if (Secrets.IsTooLongToCheck(form.Password))
        {
            return Errors.BadRequest(ErrorMessages.InvalidPassword);
        }
        var user = await users.GetAsync(caller.Id, cancellationToken);
        if (user is null || !Secrets.VerifyPassword(user.PasswordHash, form.Password))
        {
            return Errors.BadRequest(ErrorMessages.InvalidPassword);
        }
        return await users.DeleteAsync(caller.Id, cancellationToken) == UserRemoval.LastAdmin
            ? Errors.Forbidden(ErrorMessages.LastAdminCannotLeave)
            : TypedResults.Ok(true);
    }
}
