namespace Hearth.Server.Auth;

internal sealed record SignupForm(string Name, string Email, string Password, string? ProfileImageUrl = null);

internal sealed record SigninForm(string Email, string Password);

internal sealed record AddUserForm(string Name, string Email, string Password, string? Role = null, string? ProfileImageUrl = null);

internal sealed record UpdatePasswordForm(string Password, string NewPassword);

internal sealed record UpdateProfileForm(string Name, string? ProfileImageUrl = null, string? Bio = null, string? Gender = null,
    string? DateOfBirth = null);

internal sealed record UserUpdateForm(string? Role = null, string? Name = null, string? Email = null,
    string? ProfileImageUrl = null, string? Password = null);

/// <summary>What sign-up, sign-in and GET <c>/api/v1/auths/</c> answer (Open WebUI's SessionUserResponse).</summary>
internal sealed record SessionUserResponse(string? Token, string TokenType, long? ExpiresAt, string Id, string Email,
    string Name, string Role, string ProfileImageUrl, System.Text.Json.Nodes.JsonObject? Permissions);

/// <summary>
/// A user as admins see it (Open WebUI's UserModel, without secrets); the profile fields and status are there
/// when the route read them (<see cref="UserDetailsRow"/>).
/// </summary>
internal sealed record UserModel(string Id, string Name, string Email, string Role, string ProfileImageUrl,
    long LastActiveAt, long UpdatedAt, long CreatedAt, string? Bio = null, string? Gender = null, string? DateOfBirth = null,
    string? StatusEmoji = null, string? StatusMessage = null, long? StatusExpiresAt = null)
{
    public static UserModel From(UserRow row, UserDetailsRow? details = null) =>
        new(row.Id, row.Name, row.Email, row.Role, row.ProfileImageUrl, row.LastActiveAt, row.UpdatedAt, row.CreatedAt,
            details?.Bio, details?.Gender, details?.DateOfBirth, details?.StatusEmoji, details?.StatusMessage, details?.StatusExpiresAt);
}

/// <summary>What a non-admin may learn about another user.</summary>
internal sealed record UserSummary(string Id, string Name, string ProfileImageUrl);

internal sealed record UserListResponse(IReadOnlyList<UserModel> Users, long Total);

/// <summary>A user as anyone may find them to share with (<c>GET /users/search</c>): enough to tell two namesakes apart.</summary>
internal sealed record UserCard(string Id, string Name, string Email, string ProfileImageUrl);

internal sealed record UserSearchResponse(IReadOnlyList<UserCard> Users, long Total);

internal sealed record ApiKeyResponse(string ApiKey, long? CreatedAt = null);

internal sealed record StatusResponse(bool Status);
