using System.Security.Cryptography;
using System.Text;
using Hearth.Server.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hearth.Server.Auth;

/// <summary>
/// Signs and checks the HS256 tokens. The key comes from <c>WEBUI_SECRET_KEY</c>, or from a secret generated
/// once and kept in <c>DATA_DIR/.webui_secret_key</c> so tokens survive restarts. Each token names its
/// session (<c>sid</c>), which is what makes sign-out and revocation real.
/// </summary>
internal sealed class TokenService(IOptions<AuthOptions> auth, IOptions<ServerOptions> server, TimeProvider clock)
{
    public const string SecretFileName = ".webui_secret_key";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Lazy<SymmetricSecurityKey> _key = new(() => LoadKey(auth.Value, server.Value));

    public string Create(string userId, string sessionId, DateTimeOffset? expiresAt)
    {
        var claims = new Dictionary<string, object> { ["id"] = userId, ["sid"] = sessionId };
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = clock.GetUtcNow().UtcDateTime,
            Expires = expiresAt?.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key.Value, SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>A key for another purpose (signed artifact URLs), derived from the same secret, so rotating it revokes both.</summary>
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_key.Value.Key, Encoding.UTF8.GetBytes(purpose));

    /// <returns>The user and session ids, or null for a token that is forged, expired or not ours.</returns>
    public async Task<(string UserId, string SessionId)?> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = _key.Value,
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            LifetimeValidator = (_, expires, _, _) => expires is null || expires.Value > clock.GetUtcNow().UtcDateTime,
        });
        if (!result.IsValid)
        {
            return null;
        }
        return result.Claims.TryGetValue("id", out var id) && id is string userId && userId.Length > 0
            && result.Claims.TryGetValue("sid", out var sid) && sid is string sessionId
            ? (userId, sessionId)
            : null;
    }

    private static SymmetricSecurityKey LoadKey(AuthOptions auth, ServerOptions server)
    {
        var secret = auth.SecretKey ?? ReadOrCreateSecret(Path.Combine(server.DataDirFullPath, SecretFileName));
        // Hashing gives HS256 a full-length key whatever the length of the configured secret.
        return new SymmetricSecurityKey(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    private static string ReadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            Hosting.PrivateFiles.Narrow(path);
            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs, so both sign with the same key.
            File.Delete(temporary);
        }
        return File.ReadAllText(path).Trim();
    }
}
