namespace Hearth.Server.Auth;

/// <summary>The checks and defaults shared by sign-up and an admin adding a user.</summary>
internal static class NewUser
{
    public const string DefaultProfileImage = "/user.png";

    /// <returns>A 400 detail, or null when the e-mail and password are acceptable.</returns>
    public static string? Check(string email, string password, AuthOptions options) =>
        !SessionIssuer.IsValidEmail(SessionIssuer.NormaliseEmail(email)) ? Common.ErrorMessages.InvalidEmailFormat
        : string.IsNullOrEmpty(password) ? Common.ErrorMessages.EmptyPassword
        : PasswordRules.Problem(password, options);

    public static UserRow Row(string name, string email, string password, string role, string? profileImageUrl, TimeProvider clock)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return new UserRow
        {
            Id = Guid.NewGuid().ToString(),
            Name = string.IsNullOrWhiteSpace(name) ? SessionIssuer.NormaliseEmail(email) : name.Trim(),
            Email = SessionIssuer.NormaliseEmail(email),
            Role = role,
            ProfileImageUrl = string.IsNullOrEmpty(profileImageUrl) ? DefaultProfileImage : profileImageUrl,
            PasswordHash = Secrets.HashPassword(password),
            LastActiveAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
