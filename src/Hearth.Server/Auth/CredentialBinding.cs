using System.Security.Cryptography;
using System.Text;

namespace Hearth.Server.Auth;

/// <summary>
/// Ties something handed out on a caller's behalf (a signed artifact URL) to the credential that asked for
/// it, as it is at that moment: the session or API key, and the password. <see cref="ResolveAsync"/> gives
/// the caller back only while that session or key still exists, the password is the same and the role is
/// user or admin: signing out, a password change (also from the same session), a demotion (which revokes
/// sessions, and a pending role is refused anyway), a replaced API key or a deleted user ends it at once.
/// </summary>
internal sealed class CredentialBinding(CredentialStore credentials)
{
    private const string SessionPrefix = "session:";
    private const string KeyPrefix = "key:";

    /// <returns>An opaque text naming the caller's credential (secret: it holds the session id), or null if it is gone.</returns>
    public async Task<string?> BindAsync(CurrentUser caller, CancellationToken cancellationToken)
    {
        var (credential, user) = caller switch
        {
            { SessionId: { } sessionId } => (SessionPrefix + sessionId, await credentials.FindBySessionAsync(caller.Id, sessionId, cancellationToken)),
            { Token: { } key } when key.StartsWith(Secrets.ApiKeyPrefix, StringComparison.Ordinal) =>
                (KeyPrefix + Secrets.HashApiKey(key), await credentials.FindByApiKeyAsync(Secrets.HashApiKey(key), cancellationToken)),
            _ => (null, null),
        };
        return credential is null || user is null || user.Id != caller.Id ? null : string.Join('\n', user.Id, credential, PasswordStamp(user));
    }

    /// <returns>The caller as they are now, or null when the binding no longer holds.</returns>
    public async Task<CurrentUser?> ResolveAsync(string binding, CancellationToken cancellationToken)
    {
        if (binding.Split('\n') is not [var userId, var credential, var stamp])
        {
            return null;
        }
        string? sessionId = null;
        UserRow? user = null;
        if (credential.StartsWith(SessionPrefix, StringComparison.Ordinal))
        {
            sessionId = credential[SessionPrefix.Length..];
            user = await credentials.FindBySessionAsync(userId, sessionId, cancellationToken);
        }
        else if (credential.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            user = await credentials.FindByApiKeyAsync(credential[KeyPrefix.Length..], cancellationToken);
        }
        return user is { Role: Roles.User or Roles.Admin } && user.Id == userId && PasswordStamp(user) == stamp
            ? CurrentUser.From(CurrentUser.Principal(user, sessionId, null))
            : null;
    }

    /// <summary>Changes with the password hash (a new salt even for the same password), and tells nothing about it.</summary>
    private static string PasswordStamp(UserRow user) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("hearth-password-stamp\n" + (user.PasswordHash ?? ""))), 0, 8);
}
