using Hearth.Server.Audit;
using Hearth.Server.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary><c>/api/v1/auths</c>: sign-up, sign-in, sign-out, the current user, password and profile.</summary>
internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthRoutes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auths").WithTags("Auth");
        group.MapPost("/signup", Signup).AllowAnonymous().WithName("Signup").WithSummary("Create an account (the first one is the admin) and sign in").Answers(400, 403).Audited("auth.signup", AuthAudit.Session);
        group.MapPost("/signin", Signin).AllowAnonymous().WithName("Signin").WithSummary("Sign in with email and password").Answers(400, 429)
            // Audited outside the rate limit, so refused bursts are in the log too.
            .Audited("auth.signin", AuthAudit.Session)
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<SigninRateLimit>().InvokeAsync(context, next));
        group.MapMethods("/signout", ["GET", "POST"], Signout).AllowAnonymous().WithName("Signout").WithSummary("Sign out: end the session and clear the cookie").Answers(503).Audited("auth.signout", AuthAudit.OwnAccount);
        group.MapGet("/", GetSessionUser).RequireAuthorization(AuthSetup.SignedIn).WithName("GetSessionUser").WithSummary("The signed-in user, with a fresh token and permissions");
        // Pending users may only sign in, see themselves and sign out: not change a password or profile.
        group.MapPost("/update/password", UpdatePassword).RequireAuthorization().WithName("UpdatePassword").WithSummary("Change the caller's password").Answers(400)
            .Audited("auth.password.change", AuthAudit.OwnAccount);
        group.MapPost("/update/profile", UpdateProfile).RequireAuthorization().WithName("UpdateProfile").WithSummary("Change the caller's name and picture").Answers(400);
        group.MapApiKeys();
        group.MapAdminAuth();
        return group;
    }

    public static async Task<Results<Ok<SessionUserResponse>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> Signup(
        SignupForm form, HttpContext http, UserStore users, RuntimeSettings settings, SettingsStore stored,
        IOptions<AuthOptions> auth, SessionIssuer sessions, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!auth.Value.Enabled)
        {
            return Errors.Forbidden(ErrorMessages.AccessProhibited);
        }
        if (NewUser.Check(form.Email, form.Password, auth.Value) is { } problem)
        {
            return Errors.BadRequest(problem);
        }
        if (ProfileImages.Check(form.ProfileImageUrl, auth.Value.ProfileImageMaxDataUriSize) is { } badImage)
        {
            return badImage;
        }
        var config = await settings.GetConfigAsync(cancellationToken);
        var row = NewUser.Row(form.Name, form.Email, form.Password, config.DefaultUserRole, form.ProfileImageUrl, clock);
        // Sign-up closes behind the first user unless ENABLE_SIGNUP was set explicitly (current Open WebUI).
        var closeAfterFirst = auth.Value.EnableSignup is null;
        var (outcome, user) = await users.RegisterAsync(row, config.EnableSignup,
            closeAfterFirst ? (connection, transaction) => stored.WriteAsync(connection, transaction, "ENABLE_SIGNUP", "false") : null,
            cancellationToken);
        settings.Invalidate();
        return outcome switch
        {
            Registration.SignupClosed => Errors.Forbidden(ErrorMessages.AccessProhibited),
            Registration.EmailTaken => Errors.BadRequest(ErrorMessages.EmailTaken),
            _ => await sessions.IssueAsync(http, user!, setCookie: true, cancellationToken) is { } session
                ? TypedResults.Ok(session)
                : Errors.BadRequest(ErrorMessages.InvalidCredentials),
        };
    }

    public static async Task<Results<Ok<SessionUserResponse>, JsonHttpResult<ErrorBody>>> Signin(
        SigninForm form, HttpContext http, UserStore users, SingleUser singleUser, IOptions<AuthOptions> auth,
        SessionIssuer sessions, TimeProvider clock, CancellationToken cancellationToken)
    {
        // No stored password can be this long, so it is refused before any lookup or hash.
        if (auth.Value.Enabled && Secrets.IsTooLongToCheck(form.Password))
        {
            return Errors.BadRequest(ErrorMessages.InvalidCredentials);
        }
        var user = auth.Value.Enabled
            ? await users.GetByEmailAsync(SessionIssuer.NormaliseEmail(form.Email), cancellationToken)
            : await singleUser.ForSigninAsync(cancellationToken);
        if (!auth.Value.Enabled && user is null)
        {
            return Errors.BadRequest(ErrorMessages.ExistingUsers);
        }
        if (auth.Value.Enabled && !Secrets.VerifyPassword(user?.PasswordHash, form.Password))
        {
            return Errors.BadRequest(ErrorMessages.InvalidCredentials);
        }
        user!.LastActiveAt = clock.GetUtcNow().ToUnixTimeSeconds();
        await users.UpdateAsync(user.Id, new UserChanges { LastActiveAt = user.LastActiveAt }, cancellationToken);
        // Deleted since it was read: as if it had never been there.
        return await sessions.IssueAsync(http, user, setCookie: true, cancellationToken) is { } session
            ? TypedResults.Ok(session)
            : Errors.BadRequest(ErrorMessages.InvalidCredentials);
    }

    /// <summary>
    /// The cookie goes whatever happens: a browser is signed out even when the session's row cannot be deleted
    /// (the answer then says so), instead of being sent back into the app by a failed request.
    /// </summary>
    public static async Task<Results<Ok<StatusResponse>, JsonHttpResult<ErrorBody>>> Signout(
        HttpContext http, CredentialStore credentials, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        http.Response.Cookies.Delete(HearthAuthentication.CookieName);
        // Sign-out is open to anyone, but the authentication middleware has still read who is calling.
        if (CurrentUser.From(http.User) is { SessionId: { } sessionId })
        {
            try
            {
                await credentials.DeleteSessionAsync(sessionId, cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                loggers.CreateLogger("Hearth.Auth").LogWarning(e, "Signing out could not delete session {SessionId}", sessionId);
                return Errors.Status(StatusCodes.Status503ServiceUnavailable, ErrorMessages.SignoutIncomplete);
            }
        }
        return TypedResults.Ok(new StatusResponse(true));
    }

    /// <summary>Answered from the identity the authentication step has just read; the permissions include the caller's groups.</summary>
    public static async Task<Ok<SessionUserResponse>> GetSessionUser(
        CurrentUser caller, UserPermissions permissions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SessionUserResponse(caller.Token, "Bearer", null, caller.Id, caller.Email, caller.Name,
            caller.Role, caller.ProfileImageUrl, await permissions.OfAsync(caller.Id, cancellationToken)));

    public static async Task<Results<Ok<bool>, JsonHttpResult<ErrorBody>>> UpdatePassword(
        UpdatePasswordForm form, CurrentUser caller, UserStore users, CredentialStore credentials, TimeProvider clock,
        IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (Secrets.IsTooLongToCheck(form.Password))
        {
            return Errors.BadRequest(ErrorMessages.InvalidPassword);
        }
        if (PasswordRules.Problem(form.NewPassword, auth.Value) is { } weak)
        {
            return Errors.BadRequest(weak);
        }
        var user = await users.GetAsync(caller.Id, cancellationToken);
        if (user is null || !Secrets.VerifyPassword(user.PasswordHash, form.Password))
        {
            return Errors.BadRequest(ErrorMessages.InvalidPassword);
        }
        if (string.IsNullOrEmpty(form.NewPassword))
        {
            return Errors.BadRequest(ErrorMessages.EmptyPassword);
        }
        await users.UpdateAsync(user.Id, new UserChanges
        {
            PasswordHash = Secrets.HashPassword(form.NewPassword),
            UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds(),
        }, cancellationToken);
        await credentials.RevokeSessionsAsync(user.Id, caller.SessionId, cancellationToken);
        return TypedResults.Ok(true);
    }

    public static async Task<Results<Ok<UserModel>, JsonHttpResult<ErrorBody>, JsonHttpResult<ValidationErrorBody>>> UpdateProfile(
        UpdateProfileForm form, CurrentUser caller, UserStore users, UserDetailsStore details, IOptions<AuthOptions> auth,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ProfileImages.Check(form.ProfileImageUrl, auth.Value.ProfileImageMaxDataUriSize) is { } badImage)
        {
            return badImage;
        }
        if (form.DateOfBirth is { Length: > 0 } born && !DateOnly.TryParseExact(born, "yyyy-MM-dd", out _))
        {
            return Errors.Invalid("date_of_birth", ErrorMessages.InvalidDate, born, "date_from_datetime_parsing");
        }
        var user = await users.GetAsync(caller.Id, cancellationToken);
        if (user is null)
        {
            return Errors.Unauthorized(ErrorMessages.InvalidToken);
        }
        if (string.IsNullOrWhiteSpace(form.Name))
        {
            return Errors.BadRequest(ErrorMessages.NameEmpty);
        }
        await users.UpdateAsync(user.Id, new UserChanges
        {
            Name = form.Name.Trim(),
            ProfileImageUrl = form.ProfileImageUrl,
            UpdatedAt = clock.GetUtcNow().ToUnixTimeSeconds(),
        }, cancellationToken);
        // Open WebUI 0.11's profile fields: each one posted replaces its value, the others stay.
        var profile = await details.ChangeAsync(user.Id, d =>
        {
            d.Bio = form.Bio ?? d.Bio;
            d.Gender = form.Gender ?? d.Gender;
            d.DateOfBirth = form.DateOfBirth ?? d.DateOfBirth;
            return d;
        }, cancellationToken);
        return await users.GetAsync(user.Id, cancellationToken) is { } updated
            ? TypedResults.Ok(UserModel.From(updated, profile))
            : Errors.Unauthorized(ErrorMessages.InvalidToken);
    }
}
