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

internal enum Registration
{
    Created,
    EmailTaken,
    SignupClosed,
}
