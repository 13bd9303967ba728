using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hearth.Server.Auth;
using Microsoft.AspNetCore.WebUtilities;

namespace Hearth.Server.Files;

/// <summary>
/// Short-lived signed URLs for embedding an artifact where no cookie or header can go: an HMAC of the
/// conversation, the artifact and the expiry, keyed from the server secret.
/// </summary>
internal sealed class ArtifactLinks(TokenService tokens, TimeProvider clock)
{
    public const int DefaultSeconds = 300;
    public const int MaxSeconds = 86_400;
    private readonly Lazy<byte[]> _key = new(() => tokens.DeriveKey("hearth-artifact-file-url"));

    public static string Path(string conversationId, string artifactId) => $"/api/conversations/{conversationId}/artifacts/{artifactId}";

    /// <returns>The signed path and when it stops working.</returns>
    public (string Url, DateTimeOffset ExpiresAt) Sign(string conversationId, string artifactId, int seconds)
    {
        var expires = clock.GetUtcNow().AddSeconds(seconds);
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ($"{Path(conversationId, artifactId)}?exp={exp}&sig={Signature(conversationId, artifactId, exp)}",
            DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>True for an unexpired signature over exactly this conversation and artifact.</summary>
    public bool Verify(string conversationId, string artifactId, string? exp, string? sig)
    {
        if (exp is null || sig is null || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires < clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(conversationId, artifactId, exp));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig));
    }

    private string Signature(string conversationId, string artifactId, string exp) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes($"{conversationId}/{artifactId}/{exp}")));
}
