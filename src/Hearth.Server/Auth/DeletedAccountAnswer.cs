using System.Data.Common;
using Hearth.Server.Common;
using Hearth.Server.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Hearth.Server.Auth;

/// <summary>
/// A request that passed authentication and then lost its account to a deletion fails, when it writes, a foreign
/// key to <c>users</c> (a chat, folder, file or key-value row keyed to the caller; the transaction rolls back). It
/// is answered as any later request of that account is, 401, instead of as a server error. A key failure with the
/// account still there is a real fault and goes on to <see cref="RequestErrorHandler"/>, as does any failure to
/// look the account up.
/// </summary>
internal sealed class DeletedAccountAnswer(UserStore users) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted || !SqlDialect.IsForeignKeyViolation(exception) || CurrentUser.From(context.User) is not { } caller
            || !await IsGoneAsync(caller.Id, cancellationToken))
        {
            return false;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsJsonAsync(new ErrorBody(ErrorMessages.InvalidToken), JsonSettings.Wire, cancellationToken);
        return true;
    }

    private async Task<bool> IsGoneAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await users.GetAsync(userId, cancellationToken) is null;
        }
        catch (Exception e) when (e is DbException or OperationCanceledException)
        {
            return false;
        }
    }
}
