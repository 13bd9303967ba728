using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>Password hashing (ASP.NET Core's PBKDF2 hasher: salted, 100,000 rounds) and API key material.</summary>
internal static class Secrets
{
    private static PasswordHasher<UserRow> Hasher = new();
    private static readonly string DecoyHash = Hasher.HashPassword(new UserRow(), "decoy password for timing");

    /// <summary>
    /// Open WebUI's bound for a new password (bcrypt's, there), kept so a password set here also works there;
    /// checked before any hashing.
    /// </summary>
    public const int MaxPasswordBytes = 72;

    /// <summary>
    /// The bound for a password being checked (sign-in, the current password): accounts made before the 72-byte
    /// rule keep signing in, since PBKDF2's cost does not grow with the password, and a huge one is still refused unread.
    /// </summary>
    public const int MaxCheckedPasswordBytes = 1024;

    public static bool IsTooLong(string password) => Exceeds(password, MaxPasswordBytes);

    public static bool IsTooLongToCheck(string password) => Exceeds(password, MaxCheckedPasswordBytes);

    /// <summary>A string is never fewer UTF-8 bytes than characters, so a long one is not counted at all.</summary>
    private static bool Exceeds(string password, int bytes) =>
        password.Length > bytes || Encoding.UTF8.GetByteCount(password) > bytes;

    public static string HashPassword(string password) => Hasher.HashPassword(new UserRow(), password);

    public static bool VerifyPassword(string? hash, string password)
    {
        // Hash even when there is no user, so the answer time does not tell which e-mails exist.
        var result = Hasher.VerifyHashedPassword(new UserRow(), hash ?? DecoyHash, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>
    /// For the test suite only: hashes made from now on take <paramref name="iterations"/> rounds. A thousand
    /// tests each signing people up would otherwise spend minutes of a two-core machine in PBKDF2; the rounds
    /// are written into each hash, so hashes of either cost verify.
    /// </summary>
    internal static void UseRoundsForTests(int iterations) =>
        Hasher = new PasswordHasher<UserRow>(Options.Create(new PasswordHasherOptions { IterationCount = iterations }));

    public const string ApiKeyPrefix = "sk-";

    public static string NewApiKey() => ApiKeyPrefix + RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>API keys are long random strings, so one fast hash is enough to keep them unusable if the table leaks.</summary>
    public static string HashApiKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string DisplayApiKey(string key) => $"{key[..7]}...{key[^4..]}";
}
