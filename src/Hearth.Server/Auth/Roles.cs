namespace Hearth.Server.Auth;

internal static class Roles
{
    public const string Pending = "pending";
    public const string User = "user";
    public const string Admin = "admin";

    public static readonly string[] All = [Pending, User, Admin];

    public static bool IsValid(string? role) => role is Pending or User or Admin;

    /// <summary>How much a role may do, so that "demoted" has a meaning.</summary>
    public static int Rank(string role) => Array.IndexOf(All, role);
}
