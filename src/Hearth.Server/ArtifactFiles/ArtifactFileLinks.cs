using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hearth.Server.Auth;
using Microsoft.AspNetCore.WebUtilities;

namespace Hearth.Server.ArtifactFiles;

/// <summary>
/// Short-lived signed URLs for embedding an artifact where no cookie or header can go: an HMAC of the
/// conversation, the artifact, the expiry and the issuer, keyed from the server secret. The issuer
/// (<c>by</c>: their session or API key and a password stamp, see <see cref="CredentialBinding"/>) is sealed
/// with AES-GCM, so the URL does not show a session id; a URL works only while that credential still stands
/// and the issuer may still write to the conversation.
/// </summary>
internal sealed class ArtifactFileLinks(TokenService tokens, CredentialBinding bindings, TimeProvider clock)
{
    public const int DefaultSeconds = 300;
    public const int MaxSeconds = 86_400;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly Lazy<byte[]> _key = new(() => tokens.DeriveKey("hearth-artifact-file-url"));
    private readonly Lazy<byte[]> _sealKey = new(() => tokens.DeriveKey("hearth-artifact-file-url-issuer"));

    public static string Path(string conversationId, string artifactId) => $"/api/conversations/{conversationId}/artifacts/{artifactId}";

    /// <returns>The signed path and when it stops working; null when the issuer's own credential is already gone.</returns>
    public async Task<(string Url, DateTimeOffset ExpiresAt)?> SignAsync(string conversationId, string artifactId, int seconds,
        CurrentUser issuer, CancellationToken cancellationToken)
    {
        if (await bindings.BindAsync(issuer, cancellationToken) is not { } binding)
        {
            return null;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().AddSeconds(seconds).ToUnixTimeSeconds());
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var by = Seal(binding);
        return ($"{Path(conversationId, artifactId)}?exp={exp}&by={by}&sig={Signature(conversationId, artifactId, exp, by)}", expires);
    }

    /// <returns>
    /// The issuer as they are now, for an unexpired signature over exactly this conversation and artifact whose
    /// issuer's credential still stands; otherwise null.
    /// </returns>
    public async Task<CurrentUser?> VerifyAsync(string conversationId, string artifactId, string? exp, string? by, string? sig,
        CancellationToken cancellationToken)
    {
        if (exp is null || by is null || sig is null
            || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires < clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(conversationId, artifactId, exp, by));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig)) || Unseal(by) is not { } binding)
        {
            return null;
        }
        return await bindings.ResolveAsync(binding, cancellationToken);
    }

    private string Signature(string conversationId, string artifactId, string exp, string by) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes($"{conversationId}/{artifactId}/{exp}/{by}")));

    private string Seal(string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_sealKey.Value, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length));
        return WebEncoders.Base64UrlEncode(sealedBytes);
    }

    private string? Unseal(string text)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_sealKey.Value, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }
}
