namespace Hearth.Server.Auth;

/// <summary>A row of <c>users</c>; never sent on the wire (see <see cref="UserModel"/>).</summary>
internal sealed class UserRow
{
    public string Id { get; init; } = "";
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string Role { get; set; } = Roles.Pending;
    public string ProfileImageUrl { get; set; } = "";
    public string? PasswordHash { get; set; }
    public bool IsFirstUser { get; init; }
    public long LastActiveAt { get; set; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; set; }
}

/// <summary>
/// The columns one write changes; null leaves a column as it is. Each route names only what it changes, so
/// a sign-in that records the time cannot write back a role or password an admin changed meanwhile.
/// </summary>
internal sealed record UserChanges
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Role { get; init; }
    public string? ProfileImageUrl { get; init; }
    public string? PasswordHash { get; init; }
    public long? LastActiveAt { get; init; }
    public long? UpdatedAt { get; init; }
}

internal enum Registration
{
    Created,
    EmailTaken,
    SignupClosed,
}

/// <summary>What <c>UserStore.UpdateAsync</c> did.</summary>
internal enum UserUpdate
{
    Updated,
    EmailTaken,
    LastAdmin,
}

/// <summary>What <c>UserStore.DeleteAsync</c> did.</summary>
internal enum UserRemoval
{
    Deleted,
    NotFound,
    LastAdmin,
}
