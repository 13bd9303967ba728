using Hearth.Server.Audit;

namespace Hearth.Server.Auth;

/// <summary>What the audit log's defaults cannot know about the account routes.</summary>
internal static class AuthAudit
{
    /// <summary>Sign-in and sign-up: the person is the actor and the target; a refused one is known only by the email typed.</summary>
    public static AuditRecord Session(AuditCall call, AuditRecord record) => call.Value is SessionUserResponse user
        ? record with { Actor = new AuditActor(user.Id, user.Email, user.Role), Target = new AuditTarget("user", user.Id) }
        : record with { Actor = new AuditActor(null, call.Argument<SigninForm>()?.Email ?? call.Argument<SignupForm>()?.Email, null) };

    /// <summary>An admin adding an account: the new user is the target.</summary>
    public static AuditRecord Added(AuditCall call, AuditRecord record) => record with
    {
        Target = call.Value is SessionUserResponse user ? new AuditTarget("user", user.Id) : null,
        Details = call.Argument<AddUserForm>() is { } form ? new Dictionary<string, object?> { ["email"] = form.Email, ["role"] = form.Role ?? Roles.Pending } : null,
    };

    /// <summary>Actions on the caller's own account (password, API key).</summary>
    public static AuditRecord OwnAccount(AuditCall call, AuditRecord record) =>
        record with { Target = CurrentUser.From(call.Http.User) is { } caller ? new AuditTarget("user", caller.Id) : null };

    /// <summary>An admin changing a user: a new role makes it <c>user.role.change</c>; the names of the changed fields, never their values, except the role.</summary>
    public static AuditRecord Updated(AuditCall call, AuditRecord record)
    {
        if (call.Argument<UserUpdateForm>() is not { } form)
        {
            return record;
        }
        var changed = new (string Name, object? Value)[]
        {
            ("role", form.Role), ("name", form.Name), ("email", form.Email), ("profile_image_url", form.ProfileImageUrl), ("password", form.Password),
        }.Where(f => f.Value is not null).Select(f => f.Name).ToList();
        return record with
        {
            Action = form.Role is null ? record.Action : "user.role.change",
            Details = new Dictionary<string, object?> { ["changed"] = changed, ["role"] = form.Role },
        };
    }
}
